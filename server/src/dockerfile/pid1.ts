import type { DockerInstruction, DockerfileModel, Stage } from './parse';
import { stageAncestry } from './parse';
import { shellOf, type ShellCommand } from './shell';
import { baseSystem } from './system';
import { distroOf } from '../text/images';
import { escapeRegExp } from '../text/regexp';

/**
 * Who is PID 1 when Docker runs a shell-form CMD or ENTRYPOINT as `/bin/sh -c "<line>"`. It
 * depends on the image's /bin/sh (checked with dash 0.5.12, BusyBox 1.35 and bash 5.2):
 * - dash (Debian, Ubuntu) forks every command and stays PID 1; it does not pass SIGTERM on;
 * - BusyBox ash (Alpine, BusyBox) execs the last command of the line when nothing follows it
 *   (`cd /app && node server.js`, also with redirections), so that command is PID 1;
 * - bash (the Red Hat family's /bin/sh) execs a line that is one simple command without
 *   redirections (its "one-shot" optimisation; `$(…)` and `VAR=value` prefixes do not stop it);
 *   bash 5.1+ also the last command of a list, but older releases (UBI 8, Amazon Linux 2) do not,
 *   so only the single command counts;
 * - Windows runs `cmd /S /C`, and has no SIGTERM.
 * No shell execs a command in a pipeline, in the background or inside a compound command.
 */
export type BinSh = 'dash' | 'ash' | 'bash' | 'cmd';

/** The /bin/sh of the image a stage builds, from the distribution of its base; null when unknown. */
export function binShOf(model: DockerfileModel, stage: Stage): BinSh | null {
  const chain = stageAncestry(model, stage);
  const base = chain[chain.length - 1].base;
  if (base.stageRef !== null || base.resolved === null) return null;
  if (distroOf(base.ref, base.scratch) === 'windows') return 'cmd';
  switch (baseSystem(base)?.family) {
    case 'debian':
      return 'dash';
    case 'alpine':
    case 'busybox':
      return 'ash';
    case 'redhat':
      return 'bash';
    default:
      return null;
  }
}

export interface CommandLine {
  /** The commands the shell runs at the top level of the line (not those in `$(…)` or `sh -c` strings). */
  top: ShellCommand[];
  /**
   * The command that ends the line, when a shell could hand PID 1 over to it: a simple command
   * with nothing after it but redirections, not in a pipeline; null otherwise (a pipeline, a
   * background job, a compound command, a line the grammar could not read).
   */
  last: ShellCommand | null;
  /** Why no command ends the line simply (when `last` is null). */
  blocker: 'pipeline' | 'background job' | 'compound command' | 'unreadable line' | null;
  /** Redirections follow the last command (`app 2>&1`). */
  redirected: boolean;
}

const REDIRECTIONS = /^(?:\s*\d*(?:>>?|<|>&|<&|&>>?|>\|)\s*[^\s;&|()]+)*\s*$/;

/** The structure of a shell-form CMD or ENTRYPOINT line that decides who ends up as PID 1. */
export function commandLine(model: DockerfileModel, instruction: DockerInstruction): CommandLine {
  const script = shellOf(model, instruction);
  const document = model.document;
  const offset = (c: ShellCommand) => [document.offsetAt(c.range.start), document.offsetAt(c.range.end)];
  const spans = script.commands.map(offset);
  // A command inside another's span runs in a substitution or an `sh -c` string of it.
  const top = script.commands.filter((_, i) => !spans.some(([s, e], j) => j !== i && s <= spans[i][0] && spans[i][1] <= e && (s < spans[i][0] || spans[i][1] < e)));
  const last = top.reduce<ShellCommand | null>((a, c) => (a === null || offset(c)[0] > offset(a)[0] ? c : a), null);
  const none = (blocker: CommandLine['blocker']): CommandLine => ({ top, last: null, blocker, redirected: false });
  if (!last || script.hasErrors) return none('unreadable line');
  if (last.pipeline.length > 1) return none('pipeline');
  const after = document.getText({ start: last.range.end, end: instruction.range.end }).replace(new RegExp(`${escapeRegExp(model.escape)}\\r?\\n`, 'g'), ' ');
  if (/^(?:\s*\d*(?:>>?|<|>&|<&|&>>?|>\|)\s*[^\s;&|()]+)*\s*&(?!&)/.test(after)) return none('background job');
  if (!REDIRECTIONS.test(after)) return none('compound command');
  return { top, last, blocker: null, redirected: after.trim() !== '' };
}

/** True when the image's /bin/sh replaces itself with the line's last command, which then gets the signals. */
export function shellHandsOver(sh: BinSh | null, line: CommandLine): boolean {
  if (!line.last) return false;
  if (line.last.program === 'exec') return true;
  if (sh === 'ash') return true;
  return sh === 'bash' && line.top.length === 1 && !line.redirected;
}
