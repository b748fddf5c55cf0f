/**
 * The Dockerfile reference as data: what each instruction, flag, `--mount` option and parser
 * directive does, its syntax, and where Docker documents it. Completion (snippets, flag lists),
 * hover and signature help read it, so the three never disagree. The facts come from
 * https://docs.docker.com/reference/dockerfile/ (Dockerfile frontend 1.x, BuildKit); the wording
 * is ours.
 */

export const REFERENCE_URL = 'https://docs.docker.com/reference/dockerfile/';

export interface FlagDoc {
  name: string;
  /** `--name=<value>` as the reference writes it. */
  syntax: string;
  what: string;
  /** Fixed values, for completion. */
  values?: string[];
  /** A snippet body for the value (placeholders), when there are no fixed values. */
  placeholder?: string;
  /** The Dockerfile frontend version that added it, when recent. */
  since?: string;
}

export interface InstructionDoc {
  keyword: string;
  what: string;
  /** The forms, one per line, as the reference writes them. */
  syntax: string[];
  /** The snippet inserted by completion ($1… placeholders). */
  snippet: string;
  flags: FlagDoc[];
  /** Signature help: the parameters of each form, in order ("[flags]" first where it has flags). */
  signatures: { label: string; parameters: { label: string; what: string }[] }[];
  deprecated?: string;
  anchor?: string;
}

const FLAGS_PARAM = { label: '[--flags]', what: 'Optional flags (`--name=value`), before the arguments.' };

export const INSTRUCTIONS: InstructionDoc[] = [
  {
    keyword: 'FROM',
    what: 'Starts a new build stage from a base image (or from an earlier stage, or `scratch`); `AS name` names the stage for `COPY --from`, `--target` and later `FROM`s.',
    syntax: ['FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]'],
    snippet: 'FROM ${1:image}:${2:tag}${3: AS ${4:name}}',
    flags: [
      { name: 'platform', syntax: '--platform=<os>/<arch>[/<variant>]', what: 'The platform of the base image to pull, for a multi-platform image: `$BUILDPLATFORM` runs the stage natively on the builder (cross-compile there), `$TARGETPLATFORM` is the platform being built.', values: ['$BUILDPLATFORM', '$TARGETPLATFORM', 'linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
    ],
    signatures: [{ label: 'FROM [--platform=<platform>] <image> [AS <name>]', parameters: [{ label: '[--platform=<platform>]', what: 'The platform of the image to pull.' }, { label: '<image>', what: 'The base image (`name:tag`, `name@digest`), an earlier stage, or `scratch`.' }, { label: 'AS', what: 'Names this stage.' }, { label: '<name>', what: 'The stage name, for `COPY --from`, `--target` and later `FROM`s.' }] }],
  },
  {
    keyword: 'RUN',
    what: 'Runs a command in a new layer on top of the current image: shell form through `SHELL` (`/bin/sh -c`), exec form (JSON) without a shell, or a heredoc script.',
    syntax: ['RUN [--mount=…] [--network=…] [--security=…] <command>', 'RUN ["executable", "param", …]', 'RUN <<EOF\n…\nEOF'],
    snippet: 'RUN ${1:command}',
    flags: [
      { name: 'mount', syntax: '--mount=type=<bind|cache|tmpfs|secret|ssh>[,option=value…]', what: 'Mounts something for this command only (not in the layer): the build context or a stage (`bind`), a persistent cache directory (`cache`), a `tmpfs`, a build secret (`secret`) or the SSH agent (`ssh`).', placeholder: 'type=${1|cache,bind,tmpfs,secret,ssh|},target=${2:/path}' },
      { name: 'network', syntax: '--network=<default|none|host>', what: 'The network the command runs in: `none` for no network access, `host` for the host\'s (needs the `network.host` entitlement).', values: ['default', 'none', 'host'] },
      { name: 'security', syntax: '--security=<sandbox|insecure>', what: '`insecure` runs the command without the sandbox, like a privileged container (needs the `security.insecure` entitlement).', values: ['sandbox', 'insecure'] },
    ],
    signatures: [
      { label: 'RUN [--flags] <command>', parameters: [FLAGS_PARAM, { label: '<command>', what: 'The command, run by the `SHELL` (`/bin/sh -c` by default).' }] },
      { label: 'RUN [--flags] ["executable", "param", …]', parameters: [FLAGS_PARAM, { label: '["executable", "param", …]', what: 'Run without a shell: no variable expansion, no pipes.' }] },
    ],
  },
  {
    keyword: 'CMD',
    what: 'The default command of the container (or the default arguments of the `ENTRYPOINT`); only the last `CMD` counts.',
    syntax: ['CMD ["executable", "param", …]', 'CMD ["param", …]  (arguments to ENTRYPOINT)', 'CMD command param …'],
    snippet: 'CMD ["${1:executable}"${2:, "${3:param}"}]',
    flags: [],
    signatures: [
      { label: 'CMD ["executable", "param", …]', parameters: [{ label: '["executable", "param", …]', what: 'Exec form: the process gets signals directly (PID 1).' }] },
      { label: 'CMD command param …', parameters: [{ label: 'command param …', what: 'Shell form: runs under `/bin/sh -c`, which does not forward signals.' }] },
    ],
  },
  {
    keyword: 'LABEL',
    what: 'Adds metadata to the image as key-value pairs (OCI annotations such as `org.opencontainers.image.source`).',
    syntax: ['LABEL <key>=<value> [<key>=<value> …]'],
    snippet: 'LABEL ${1:org.opencontainers.image.source}="${2:value}"',
    flags: [],
    signatures: [{ label: 'LABEL <key>=<value> …', parameters: [{ label: '<key>=<value>', what: 'A label; quote values with spaces.' }, { label: '…', what: 'More labels.' }] }],
  },
  {
    keyword: 'EXPOSE',
    what: 'Documents the ports the container listens on (TCP by default); it publishes nothing by itself.',
    syntax: ['EXPOSE <port>[/<protocol>] …'],
    snippet: 'EXPOSE ${1:8080}',
    flags: [],
    signatures: [{ label: 'EXPOSE <port>[/<protocol>] …', parameters: [{ label: '<port>[/<protocol>]', what: 'A port, with `/tcp` (default) or `/udp`.' }, { label: '…', what: 'More ports.' }] }],
  },
  {
    keyword: 'ENV',
    what: 'Sets environment variables for the rest of the stage and for the running container (they stay in the image: never put secrets there).',
    syntax: ['ENV <key>=<value> …', 'ENV <key> <value>  (legacy)'],
    snippet: 'ENV ${1:NAME}=${2:value}',
    flags: [],
    signatures: [{ label: 'ENV <key>=<value> …', parameters: [{ label: '<key>=<value>', what: 'A variable and its value; `$OTHER` in the value is expanded.' }, { label: '…', what: 'More variables.' }] }],
  },
  {
    keyword: 'ADD',
    what: 'Copies files, directories, URLs or Git repositories into the image; extracts local tar archives. Prefer `COPY` for local files.',
    syntax: ['ADD [--flags] <src> … <dest>', 'ADD [--flags] ["<src>", … "<dest>"]'],
    snippet: 'ADD ${1:src} ${2:dest}',
    flags: [
      { name: 'chown', syntax: '--chown=<user>[:<group>]', what: 'The owner of the added files (default root).', placeholder: '${1:user}:${2:group}' },
      { name: 'chmod', syntax: '--chmod=<perms>', what: 'The permissions of the added files (octal, or symbolic since 1.14).', placeholder: '${1:755}' },
      { name: 'link', syntax: '--link[=<bool>]', what: 'Adds the files as an independent layer, so it stays cached when layers below change.' },
      { name: 'checksum', syntax: '--checksum=<hash>', what: 'Verifies a remote source against its checksum (`sha256:…`).', placeholder: 'sha256:${1:hash}' },
      { name: 'keep-git-dir', syntax: '--keep-git-dir[=<bool>]', what: 'Keeps the `.git` directory of a Git source.' },
      { name: 'exclude', syntax: '--exclude=<path>', what: 'Leaves out files matching the pattern.', placeholder: '${1:pattern}', since: '1.19' },
      { name: 'unpack', syntax: '--unpack[=<bool>]', what: 'Whether to extract an archive source (remote archives are not extracted by default).', since: '1.17' },
    ],
    signatures: [{ label: 'ADD [--flags] <src> … <dest>', parameters: [FLAGS_PARAM, { label: '<src>', what: 'A file or directory of the build context, a URL, a Git repository, or a heredoc.' }, { label: '…', what: 'More sources.' }, { label: '<dest>', what: 'The destination in the image (a directory when it ends with `/`; relative to `WORKDIR`).' }] }],
  },
  {
    keyword: 'COPY',
    what: 'Copies files and directories from the build context, a stage (`--from`) or an image into the image.',
    syntax: ['COPY [--flags] <src> … <dest>', 'COPY [--flags] ["<src>", … "<dest>"]'],
    snippet: 'COPY ${1:src} ${2:dest}',
    flags: [
      { name: 'from', syntax: '--from=<stage|image|context>', what: 'Copies from an earlier stage, an image, or a named build context instead of the build context.', placeholder: '${1:stage}' },
      { name: 'chown', syntax: '--chown=<user>[:<group>]', what: 'The owner of the copied files (default root).', placeholder: '${1:user}:${2:group}' },
      { name: 'chmod', syntax: '--chmod=<perms>', what: 'The permissions of the copied files (octal, or symbolic since 1.14).', placeholder: '${1:755}' },
      { name: 'link', syntax: '--link[=<bool>]', what: 'Copies the files as an independent layer, so it stays cached (and is rebased, not rebuilt) when layers below change.' },
      { name: 'parents', syntax: '--parents[=<bool>]', what: 'Keeps the parent directories of the sources under the destination.', since: '1.20' },
      { name: 'exclude', syntax: '--exclude=<path>', what: 'Leaves out files matching the pattern.', placeholder: '${1:pattern}', since: '1.19' },
    ],
    signatures: [{ label: 'COPY [--flags] <src> … <dest>', parameters: [FLAGS_PARAM, { label: '<src>', what: 'A file or directory (globs allowed) of the build context or of the `--from` source, or a heredoc.' }, { label: '…', what: 'More sources.' }, { label: '<dest>', what: 'The destination in the image (a directory when it ends with `/`; relative to `WORKDIR`).' }] }],
  },
  {
    keyword: 'ENTRYPOINT',
    what: 'The executable the container runs; `CMD` supplies its default arguments.',
    syntax: ['ENTRYPOINT ["executable", "param", …]', 'ENTRYPOINT command param …'],
    snippet: 'ENTRYPOINT ["${1:executable}"]',
    flags: [],
    signatures: [
      { label: 'ENTRYPOINT ["executable", "param", …]', parameters: [{ label: '["executable", "param", …]', what: 'Exec form: the process is PID 1 and gets signals; CMD is appended.' }] },
      { label: 'ENTRYPOINT command param …', parameters: [{ label: 'command param …', what: 'Shell form: ignores CMD and runs under `/bin/sh -c`, which does not forward signals.' }] },
    ],
  },
  {
    keyword: 'VOLUME',
    what: 'Marks a path as a volume: data written there at run time is kept out of the container\'s layer; changes to it after this line in the build are discarded.',
    syntax: ['VOLUME ["/path", …]', 'VOLUME /path …'],
    snippet: 'VOLUME ["${1:/data}"]',
    flags: [],
    signatures: [{ label: 'VOLUME /path …', parameters: [{ label: '/path', what: 'A mount point in the container.' }, { label: '…', what: 'More mount points.' }] }],
  },
  {
    keyword: 'USER',
    what: 'The user (and group) that runs the rest of the stage\'s `RUN`s and the container\'s process.',
    syntax: ['USER <user>[:<group>]', 'USER <UID>[:<GID>]'],
    snippet: 'USER ${1:app}',
    flags: [],
    signatures: [{ label: 'USER <user>[:<group>]', parameters: [{ label: '<user>', what: 'A user name or UID (a UID works even when /etc/passwd has no entry).' }, { label: '[:<group>]', what: 'A group name or GID.' }] }],
  },
  {
    keyword: 'WORKDIR',
    what: 'The working directory of the following instructions and of the container; created if missing.',
    syntax: ['WORKDIR /path/to/workdir'],
    snippet: 'WORKDIR ${1:/app}',
    flags: [],
    signatures: [{ label: 'WORKDIR <path>', parameters: [{ label: '<path>', what: 'An absolute path (a relative one is relative to the previous WORKDIR).' }] }],
  },
  {
    keyword: 'ARG',
    what: 'Declares a build argument (`--build-arg`), with an optional default. Before the first `FROM` it is global and usable only in `FROM` lines; a stage must declare it again to use it.',
    syntax: ['ARG <name>[=<default value>] …'],
    snippet: 'ARG ${1:NAME}${2:=${3:default}}',
    flags: [],
    signatures: [{ label: 'ARG <name>[=<default>] …', parameters: [{ label: '<name>', what: 'The build argument.' }, { label: '[=<default>]', what: 'Its value when the build does not set it.' }, { label: '…', what: 'More build arguments.' }] }],
  },
  {
    keyword: 'ONBUILD',
    what: 'A trigger instruction that runs when another image is built `FROM` this one (not in this build).',
    syntax: ['ONBUILD <INSTRUCTION>'],
    snippet: 'ONBUILD ${1:RUN} ${2:command}',
    flags: [],
    signatures: [{ label: 'ONBUILD <INSTRUCTION> <arguments>', parameters: [{ label: '<INSTRUCTION>', what: 'Any instruction but `FROM`, `ONBUILD` and `MAINTAINER`.' }, { label: '<arguments>', what: 'Its arguments.' }] }],
  },
  {
    keyword: 'STOPSIGNAL',
    what: 'The signal `docker stop` sends to stop the container (default `SIGTERM`).',
    syntax: ['STOPSIGNAL <signal>'],
    snippet: 'STOPSIGNAL ${1|SIGTERM,SIGINT,SIGQUIT,SIGKILL|}',
    flags: [],
    signatures: [{ label: 'STOPSIGNAL <signal>', parameters: [{ label: '<signal>', what: 'A name (`SIGTERM`) or number (`9`).' }] }],
  },
  {
    keyword: 'HEALTHCHECK',
    what: 'How Docker checks that the container still works (its exit code: 0 healthy, 1 unhealthy); `NONE` disables the base image\'s check.',
    syntax: ['HEALTHCHECK [--flags] CMD <command>', 'HEALTHCHECK NONE'],
    snippet: 'HEALTHCHECK --interval=${1:30s} --timeout=${2:5s} CMD ${3:command} || exit 1',
    flags: [
      { name: 'interval', syntax: '--interval=<duration>', what: 'Time between checks (default 30s).', placeholder: '${1:30s}' },
      { name: 'timeout', syntax: '--timeout=<duration>', what: 'A check that takes longer fails (default 30s).', placeholder: '${1:5s}' },
      { name: 'start-period', syntax: '--start-period=<duration>', what: 'Start-up time during which failures do not count (default 0s).', placeholder: '${1:10s}' },
      { name: 'start-interval', syntax: '--start-interval=<duration>', what: 'Time between checks during the start period (default 5s; Docker Engine 25+).', placeholder: '${1:5s}' },
      { name: 'retries', syntax: '--retries=<number>', what: 'Consecutive failures before the container is unhealthy (default 3).', placeholder: '${1:3}' },
    ],
    signatures: [
      { label: 'HEALTHCHECK [--flags] CMD <command>', parameters: [FLAGS_PARAM, { label: 'CMD', what: 'Introduces the check command.' }, { label: '<command>', what: 'The check: exec form or shell form; exit 0 healthy, 1 unhealthy.' }] },
      { label: 'HEALTHCHECK NONE', parameters: [{ label: 'NONE', what: 'Disables any healthcheck inherited from the base image.' }] },
    ],
  },
  {
    keyword: 'SHELL',
    what: 'The shell used by the shell form of `RUN`, `CMD` and `ENTRYPOINT` that follow (default `["/bin/sh", "-c"]`).',
    syntax: ['SHELL ["executable", "parameters"]'],
    snippet: 'SHELL ["${1:/bin/bash}", "${2:-o}", "${3:pipefail}", "${4:-c}"]',
    flags: [],
    signatures: [{ label: 'SHELL ["executable", "parameters", …]', parameters: [{ label: '["executable", "parameters", …]', what: 'The shell and its options, in JSON form (`["/bin/bash", "-o", "pipefail", "-c"]`).' }] }],
  },
  {
    keyword: 'MAINTAINER',
    what: 'Deprecated: the author of the image. Use `LABEL org.opencontainers.image.authors=…`.',
    syntax: ['MAINTAINER <name>'],
    snippet: 'MAINTAINER ${1:name}',
    flags: [],
    signatures: [{ label: 'MAINTAINER <name>', parameters: [{ label: '<name>', what: 'The author.' }] }],
    deprecated: 'use LABEL org.opencontainers.image.authors',
    anchor: 'maintainer-deprecated',
  },
];

export const instructionDoc = (keyword: string): InstructionDoc | undefined => INSTRUCTIONS.find((i) => i.keyword === keyword.toUpperCase());

export function referenceLink(keyword: string): string {
  const doc = instructionDoc(keyword);
  return `${REFERENCE_URL}#${doc?.anchor ?? keyword.toLowerCase()}`;
}

export interface MountOption {
  name: string;
  what: string;
  values?: string[];
  /** A flag-like option with no value (`ro`, `rw`, `required`). */
  bare?: boolean;
}

/** The options of each `--mount` type (`RUN --mount=type=…`). */
export const MOUNT_TYPES: { type: string; what: string; options: MountOption[] }[] = [
  {
    type: 'bind', what: 'Mounts a directory of the build context, a stage or an image, read-only by default (default type).', options: [
      { name: 'target', what: 'Where it is mounted (also `dst`, `destination`).' },
      { name: 'source', what: 'The path in `from` (default its root).' },
      { name: 'from', what: 'A stage, image or build context to mount from (default the build context).' },
      { name: 'rw', what: 'Writes are allowed (and discarded after the command).', bare: true },
    ],
  },
  {
    type: 'cache', what: 'A cache directory kept between builds (package-manager caches): it never lands in the layer.', options: [
      { name: 'target', what: 'Where it is mounted (also `dst`, `destination`).' },
      { name: 'id', what: 'Which cache (default the target path).' },
      { name: 'sharing', what: 'How concurrent builds share it.', values: ['shared', 'private', 'locked'] },
      { name: 'ro', what: 'Read-only.', bare: true },
      { name: 'from', what: 'A stage or image to seed the cache from.' },
      { name: 'source', what: 'The path in `from` to seed from.' },
      { name: 'mode', what: 'The directory\'s mode (default 0755).' },
      { name: 'uid', what: 'The directory\'s owner (default 0).' },
      { name: 'gid', what: 'The directory\'s group (default 0).' },
    ],
  },
  {
    type: 'tmpfs', what: 'An in-memory filesystem for the command.', options: [
      { name: 'target', what: 'Where it is mounted (also `dst`, `destination`).' },
      { name: 'size', what: 'Its maximum size in bytes.' },
    ],
  },
  {
    type: 'secret', what: 'A build secret (`--secret id=…`) as a file or variable for this command only: it never lands in the image.', options: [
      { name: 'id', what: 'The secret\'s id (default the target\'s base name).' },
      { name: 'target', what: 'The file it is mounted at (default `/run/secrets/<id>`).' },
      { name: 'env', what: 'An environment variable to put it in, instead of or as well as a file.' },
      { name: 'required', what: 'Fail the build when the secret is not given.', bare: true },
      { name: 'mode', what: 'The file\'s mode (default 0400).' },
      { name: 'uid', what: 'The file\'s owner.' },
      { name: 'gid', what: 'The file\'s group.' },
    ],
  },
  {
    type: 'ssh', what: 'The SSH agent\'s socket (`--ssh`), for cloning private repositories without copying keys.', options: [
      { name: 'id', what: 'Which `--ssh` socket or key (default `default`).' },
      { name: 'target', what: 'The socket\'s path (default `/run/buildkit/ssh_agent.${N}`).' },
      { name: 'required', what: 'Fail the build when no agent is given.', bare: true },
      { name: 'mode', what: 'The socket\'s mode (default 0600).' },
      { name: 'uid', what: 'The socket\'s owner.' },
      { name: 'gid', what: 'The socket\'s group.' },
    ],
  },
];

export interface DirectiveDoc {
  name: string;
  what: string;
  snippet: string;
}

/** Parser directives: `# name=value` lines before any instruction or other comment. */
export const DIRECTIVES: DirectiveDoc[] = [
  { name: 'syntax', what: 'The Dockerfile frontend BuildKit uses: `docker/dockerfile:1` follows the latest stable 1.x.', snippet: 'syntax=${1:docker/dockerfile:1}' },
  { name: 'escape', what: 'The escape and line-continuation character: `\\` (default) or `` ` `` (Windows paths).', snippet: 'escape=${1|`,\\\\|}' },
  { name: 'check', what: 'Configures BuildKit\'s build checks: `skip=<rule,…|all>` to skip some, `error=true` to fail the build on a violation.', snippet: 'check=${1|skip=,error=true|}$2' },
];

/** ARGs BuildKit sets itself, in the global scope (a stage must declare `ARG NAME` to see one). */
export const PLATFORM_ARGS: { name: string; what: string }[] = [
  { name: 'TARGETPLATFORM', what: 'The platform being built, `linux/arm64/v8`.' },
  { name: 'TARGETOS', what: 'The OS part of TARGETPLATFORM, `linux`.' },
  { name: 'TARGETARCH', what: 'The architecture part of TARGETPLATFORM, `arm64`.' },
  { name: 'TARGETVARIANT', what: 'The variant part of TARGETPLATFORM, `v8`.' },
  { name: 'BUILDPLATFORM', what: 'The platform of the builder, `linux/amd64`.' },
  { name: 'BUILDOS', what: 'The OS part of BUILDPLATFORM.' },
  { name: 'BUILDARCH', what: 'The architecture part of BUILDPLATFORM.' },
  { name: 'BUILDVARIANT', what: 'The variant part of BUILDPLATFORM.' },
];

/** Predefined ARGs usable in a stage without a declaration; not kept in the image's history. */
export const PROXY_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/** A flag's card: what it does, its syntax and its instruction's page, in three lines. */
export function flagMarkdown(keyword: string, flag: FlagDoc): string {
  return `**${keyword} --${flag.name}**${flag.since ? ` (Dockerfile ${flag.since}+)` : ''}: ${flag.what}\n\n\`${keyword} ${flag.syntax}\` · [Dockerfile reference: ${keyword}](${referenceLink(keyword)})`;
}

/**
 * An instruction's card. `full` (completion's documentation, read while choosing) lists every
 * form in a code block; the hover's (under the layer-cache card, which keeps the hover within a
 * dozen lines) shows the main form in one line with the link.
 */
export function instructionMarkdown(doc: InstructionDoc, full = false): string {
  const link = `[Dockerfile reference: ${doc.keyword}](${referenceLink(doc.keyword)})`;
  if (full) return [`**${doc.keyword}**: ${doc.what}`, '```dockerfile\n' + doc.syntax.join('\n') + '\n```', link].join('\n\n');
  return `**${doc.keyword}**: ${doc.what}\n\n\`${doc.syntax[0]}\` · ${link}`;
}
