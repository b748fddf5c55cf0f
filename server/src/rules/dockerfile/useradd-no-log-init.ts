import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerfileModel, DockerInstruction } from '../../dockerfile/parse';
import { shellOf, hasOption, type ShellCommand } from '../../dockerfile/shell';
import { expandVariables } from '../../text/variables';
import { posixRuns } from '../../dockerfile/shells';

/** Bytes /var/log/lastlog reserves per UID (struct lastlog on Linux). */
const LASTLOG_RECORD = 292;

/** UIDs above the 16-bit range: the file then exceeds 19 MB, for one user. */
const HIGH_UID = 65535;

interface Uid {
  uid: number;
  range: Range;
  written: string;
}

/** The UID given with `-u N`, `-uN`, `--uid N` or `--uid=N`, build-arg defaults expanded. */
function uidOf(command: ShellCommand, instruction: DockerInstruction, model: DockerfileModel): Uid | null {
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    let word = null as null | { text: string; value: string | null };
    let range: Range | null = null;
    if (v === '-u' || v === '--uid') {
      const next = args[i + 1];
      if (!next) return null;
      word = next;
      range = { start: args[i].range.start, end: next.range.end };
    } else if (v !== null && (/^-u\d/.test(v) || v.startsWith('--uid='))) {
      word = { text: v.slice(v.startsWith('-u') ? 2 : 6), value: v.slice(v.startsWith('-u') ? 2 : 6) };
      range = args[i].range;
    } else if (v === null && /^-u\$|^--uid=\$/.test(args[i].text)) {
      const text = args[i].text.replace(/^-u|^--uid=/, '');
      word = { text, value: null };
      range = args[i].range;
    }
    if (!word || !range) continue;
    const variables = model.stages[instruction.stage]?.variables ?? new Map<string, string | null>();
    const value = word.value ?? expandVariables(word.text.replace(/^"(.*)"$/, '$1'), variables);
    if (value === null || !/^\d+$/.test(value)) return null;
    return { uid: Number(value), range, written: word.text };
  }
  return null;
}

function sizeOf(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 1)} GB`;
  return `${Math.round(bytes / 1e6)} MB`;
}

/**
 * useradd reserves a record per UID up to the new user's in /var/log/lastlog (and faillog); the
 * file is sparse on disk, but image layers store it in full, so a high UID adds megabytes or
 * gigabytes of zeros. `--no-log-init` leaves the user out of those files.
 */
export default dockerfileRule({
  id: 'useradd-no-log-init',
  aliases: ['DL3046'],
  title: 'Pass --no-log-init to useradd with a high UID',
  category: 'size',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      for (const instruction of posixRuns(dockerfile, stage.index)) {
        for (const command of shellOf(dockerfile, instruction).commands) {
          if (command.program !== 'useradd' || hasOption(command, '-l', '--no-log-init')) continue;
          const uid = uidOf(command, instruction, dockerfile);
          if (!uid || uid.uid <= HIGH_UID) continue;
          report({
            range: uid.range,
            message: `\`useradd\` with UID ${uid.written === String(uid.uid) ? uid.uid : `\`${uid.written}\` (${uid.uid})`} writes about ${sizeOf(uid.uid * LASTLOG_RECORD)} of zeros to /var/log/lastlog, which the image layer stores in full; add \`--no-log-init\` (\`-l\`).`,
          });
        }
      }
    }
  },
  fix(finding, dockerfile) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      for (const command of shellOf(dockerfile, instruction).commands) {
        if (command.program !== 'useradd' || hasOption(command, '-l', '--no-log-init')) continue;
        const uid = uidOf(command, instruction, dockerfile);
        if (!uid || uid.range.start.line !== finding.range.start.line || uid.range.start.character !== finding.range.start.character) continue;
        const name = command.words[0];
        if (dockerfile.document.getText(name.range) !== name.text) return undefined;
        return { title: 'Add --no-log-init to useradd', edits: [{ range: { start: name.range.end, end: name.range.end }, newText: ' --no-log-init' }], safe: true };
      }
    }
    return undefined;
  },
});
