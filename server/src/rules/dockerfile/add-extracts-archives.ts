import { dockerfileRule } from '../types';
import { stageAncestry, type DockerInstruction } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { shellOf, type ShellCommand } from '../../dockerfile/shell';
import { pathArguments, type PathArgument } from '../../dockerfile/copyArguments';
import { posixRuns } from '../../dockerfile/shells';

/** Tar archives ADD unpacks: plain, gzip, bzip2 and xz (see the ADD reference). */
const TAR = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tb2|tar\.xz|txz)$/;

/** tar options that ADD's unpacking also has (compression is detected, the target is the destination). */
const SIMPLE_SHORT = new Set(['x', 'z', 'j', 'J', 'a', 'v', 'f', 'C', 'o', 'p']);
const SIMPLE_LONG = new Set(['--extract', '--get', '--file', '--gzip', '--gunzip', '--ungzip', '--bzip2', '--xz', '--auto-compress', '--verbose', '--directory', '--no-same-owner', '--preserve-permissions']);

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * The archive a `tar` command unpacks, when it does nothing ADD cannot do: no member list, no
 * `--strip-components`, no `--exclude`. Null otherwise.
 */
function plainExtraction(command: ShellCommand): string | null {
  if (command.program !== 'tar') return null;
  let extract = false;
  let file: string | null = null;
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === null) return null;
    if (v.startsWith('--')) {
      const name = v.split('=')[0];
      if (!SIMPLE_LONG.has(name)) return null;
      if (name === '--extract' || name === '--get') extract = true;
      if (name === '--file') file = v.includes('=') ? v.slice(7) : args[++i]?.value ?? null;
      else if (name === '--directory' && !v.includes('=')) i++;
      continue;
    }
    // `tar xzf a.tgz` (old style, first word) and `tar -xzf a.tgz`.
    const cluster = v.startsWith('-') ? v.slice(1) : i === 0 ? v : null;
    if (cluster !== null && cluster.length > 0 && [...cluster].every((c) => SIMPLE_SHORT.has(c))) {
      if (cluster.includes('x')) extract = true;
      // Options that take a value read the following words, in the order they appear.
      for (const c of cluster) {
        if (c === 'f') file = args[++i]?.value ?? null;
        else if (c === 'C') i++;
      }
      continue;
    }
    if (v.startsWith('-')) return null;
    // A positional word: the archive after `-f` was consumed above, so this is a member list.
    return null;
  }
  return extract && file ? file : null;
}

interface CopiedArchive {
  copy: DockerInstruction;
  source: PathArgument;
  /** The name the archive has in the image, matched against what tar extracts. */
  name: string;
}

/**
 * A local archive that is COPYed and then unpacked in a RUN stays in the COPY layer for good:
 * deleting it later hides it but the image still carries its bytes. `ADD archive.tar.gz /dir/`
 * unpacks it in one step and stores only the files.
 */
export default dockerfileRule({
  id: 'add-extracts-archives',
  aliases: ['DL3010'],
  title: 'Use ADD to unpack a local tar archive',
  category: 'size',
  severity: 'info',
  enabledByDefault: false,
  check({ dockerfile, report, path, files }) {
    const final = shippedStage({ dockerfile, path, files });
    if (!final) return;
    // Only layers of the shipped image cost space; a build or test stage is thrown away.
    for (const stage of stageAncestry(dockerfile, final)) {
      const copied: CopiedArchive[] = [];
      const runs = new Set(posixRuns(dockerfile, stage.index));
      for (const instruction of stage.instructions) {
        if (instruction.keyword === 'COPY' && !instruction.flags.some((f) => f.name === 'from')) {
          const paths = pathArguments(dockerfile, instruction);
          if (!paths) continue;
          for (const source of paths.sources) {
            if (source.value === null || !TAR.test(source.value) || /[*?[]/.test(source.value)) continue;
            const dest = paths.dest.value;
            const name = dest !== null && TAR.test(dest) ? basename(dest) : basename(source.value);
            copied.push({ copy: instruction, source, name });
          }
        } else if (runs.has(instruction)) {
          for (const command of shellOf(dockerfile, instruction).commands) {
            const file = plainExtraction(command);
            if (file === null) continue;
            const index = copied.findIndex((c) => c.name === basename(file));
            if (index < 0) continue;
            const [archive] = copied.splice(index, 1);
            report({
              range: archive.source.range,
              message: `\`${archive.source.text}\` is copied and then unpacked by \`tar\` on line ${instruction.range.start.line + 1}, so the archive stays in a layer of the image even if it is deleted later; \`ADD ${archive.source.text} <dir>/\` unpacks it in one step without storing it.`,
            });
          }
        }
      }
    }
  },
});
