import type { ShellCommand } from './shell';

/**
 * Commands whose effect Shipshape cannot read from the Dockerfile: a script or program of the
 * build context or of a download (`/tmp/install-libheif`, `./build.sh`, `sh setup.sh`,
 * `curl … | bash`, `. ./env.sh`), or a command named by a variable. Such a command may run a package manager, and read what an earlier RUN left
 * in the image (the apt lists, a module store), so a fix that moves that out of the image must
 * not assume it unused. Programs of the system's own directories, and the package managers that
 * packages.ts reads (`./mvnw`, `/usr/bin/apt-get`), are not opaque.
 */

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);
/** Where a distribution puts its own programs: a path there names a known tool, not a script. */
const SYSTEM_DIR = /^\/(?:usr\/)?s?bin\/[^/]+$/;
/**
 * Programs that build what they are given and install no packages: autotools' `./configure`
 * and `./autogen.sh`, Go's `make.bash`, an npm package's own binary (`node_modules/.bin/ng`).
 */
const BUILD_TOOL = /(?:^|\/)(?:configure|autogen\.sh|make\.bash)$|(?:^|\/)node_modules\/\.bin\//;

/**
 * How to name the opaque part of a command in a message (`/tmp/install-libheif`, `sh ./install.sh`,
 * `curl … | bash`), or null when the command is one Shipshape can read. `known` says whether a
 * package manager Shipshape reads runs the command (packages.ts passes its own reader, so this
 * module does not depend on it).
 */
export function opaqueCommand(command: ShellCommand, known: (command: ShellCommand) => boolean): string | null {
  if (command.words.length === 0 || known(command)) return null;
  const name = command.name;
  if (name === null) return command.words[0].text;
  if (name === '.' || name === 'source') return command.args[0] ? `${name} ${command.args[0].text}` : null;
  const program = command.program ?? '';
  if (SHELLS.has(program)) {
    // `sh -c '…'` is parsed as a script of its own; `sh file` and a shell reading a pipe are not.
    if (command.args.some((a) => a.value !== null && /^-[a-z]*c[a-z]*$/.test(a.value))) return null;
    const file = command.args.find((a) => a.value === null || (!a.value.startsWith('-') && a.value !== '-'));
    if (file) return `${program} ${file.text}`;
    const index = command.pipeline.indexOf(command);
    if (index > 0) return `${command.pipeline[0].program ?? command.pipeline[0].words[0]?.text ?? ''} … | ${program}`;
    return null;
  }
  if (name.includes('/') && !SYSTEM_DIR.test(name) && !BUILD_TOOL.test(name)) return name;
  return null;
}
