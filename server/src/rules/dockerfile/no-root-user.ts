import { dockerfileRule } from '../types';
import { insertBeforeStart } from '../../fixes/dockerfileEdits';
import { stageAncestry, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { shippedStageLabel } from '../../dockerfile/shipped';
import { expandVariables } from '../../text/variables';
import { distroOf, runsAsNonRootByDefault } from '../../text/images';
import { carriesApplication } from '../../dockerfile/application';
import { startWords } from '../../dockerfile/healthchecks';
import type { ImageRef } from '../../text/image';

/**
 * A final command that is only a shell or a language REPL marks a base or toolbox image, meant to
 * be built upon: the image that runs the application decides its user.
 */
const INTERACTIVE = /^(?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:bash|sh|ash|zsh|python\d*(?:\.\d+)?|node|irb|ghci|iex|erl|jshell|pwsh|powershell|cmd)$/i;

function startsInteractively(stage: Stage): boolean {
  const command = [...stage.instructions].reverse().find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (!command || command.keyword !== 'CMD') return false;
  const words = command.json ?? command.args.trim().split(/\s+/);
  return words.length === 1 && INTERACTIVE.test(words[0]);
}

/** Tools an entrypoint uses to drop from root to another user at start-up. */
const PRIVILEGE_DROP = /\b(gosu|su-exec|setpriv|s6-setuidgid|chpst|runuser|setuser)\b|--userspec/;

/**
 * A process running as root inside the container is root on the host if it escapes; only the
 * stage that ships matters (see shippedStage), since build and test stages never run in production.
 */
export default dockerfileRule({
  id: 'no-root-user',
  aliases: ['DL3002', 'DL3063', '67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae', 'fd54f200-402c-4333-a5a4-36ef6709af2f'],
  title: 'Run the final stage as a non-root user',
  category: 'security',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    const final = shippedStage({ dockerfile, path, files });
    if (!final) return;
    const chain = stageAncestry(dockerfile, final);
    for (const stage of chain) {
      const users = stage.instructions.filter((i) => i.keyword === 'USER');
      const last = users[users.length - 1];
      if (!last) continue;
      const written = last.args.trim();
      const user = (expandVariables(written, stage.variables) ?? written).split(':')[0];
      if ((user === 'root' || user === '0') && last.argsRange) {
        report({
          range: last.argsRange,
          message: `${shippedStageLabel(dockerfile, final)} runs as \`${written}\`, so a process that escapes the container is root on the host; switch to an unprivileged user after the steps that need root.`,
        });
      }
      return;
    }
    const root = chain[chain.length - 1];
    const base = root.base;
    if (base.stageRef !== null || base.resolved === null) return;
    if (base.ref && runsAsNonRootByDefault(base.ref)) return;
    if (distroOf(base.ref, base.scratch) === 'windows') return;
    if (chain.some((stage) => stage.instructions.some((i) => PRIVILEGE_DROP.test(i.args)))) return;
    if (startsInteractively(final)) return;
    // An image that only installs a runtime or a server (as the official images of nginx, golang
    // or php do) is a base for others: the image that adds the application decides its user.
    if (!carriesApplication(chain, startWords(dockerfile, chain))) return;
    report({
      range: final.base.range,
      message: `${shippedStageLabel(dockerfile, final)} never sets USER, so the container runs as root (the default of \`${base.resolved}\`); add a USER with an unprivileged account.`,
      data: { missingUser: true },
    });
  },
  fix(finding, dockerfile, context) {
    if (!finding.data?.missingUser) return undefined;
    const final = shippedStage({ dockerfile, ...context });
    if (!final) return undefined;
    const chain = stageAncestry(dockerfile, final);
    const root = chain[chain.length - 1];
    const lines = userLines(root.base.ref, root.base.scratch);
    if (!lines) return undefined;
    return { title: 'Create and switch to a non-root user', edits: [insertBeforeStart(dockerfile, final, lines)], safe: false };
  },
});

/** The lines that create (when needed) and select an unprivileged user on an image; the multi-stage converter uses them too. */
export function userLines(ref: ImageRef | null, scratch: boolean): string[] | null {
  if (ref?.name === 'node' && ref.registry === null) return ['USER node'];
  switch (distroOf(ref, scratch)) {
    case 'alpine':
      return ['RUN addgroup -S app && adduser -S -G app app', 'USER app'];
    case 'debian':
    case 'redhat':
      return ['RUN groupadd --system app && useradd --system --gid app --no-create-home app', 'USER app'];
    case 'distroless':
      return ['USER nonroot'];
    case 'scratch':
      return ['USER 65532:65532'];
    default:
      return null;
  }
}
