import { dockerfileRule } from '../types';
import { isArchive, isRemote, pathArguments } from '../../dockerfile/copyArguments';

/** True when a source may name an archive: it has an archive extension, or a glob hides its extension. */
function mayBeArchive(path: string): boolean {
  if (isArchive(path)) return true;
  const lastGlob = Math.max(path.lastIndexOf('*'), path.lastIndexOf('?'), path.lastIndexOf(']'));
  if (lastGlob < 0) return false;
  // `*.sh` says what it matches; `dist/*` or `file*` may match `file.tar.gz`.
  return !/^\.[A-Za-z0-9]+$/.test(path.slice(lastGlob + 1)) || isArchive(path.slice(lastGlob + 1));
}

/** Flags ADD has and COPY does not: the rewrite would not parse. */
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

function shown(text: string): string {
  const oneLine = text.replace(/\s*\\\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}

/**
 * ADD also fetches URLs and unpacks local tar archives; for plain local files it does what COPY
 * does, but a reader cannot tell, and a tar file that later lands among its sources is unpacked
 * instead of copied. COPY says exactly what happens. Today the image is the same either way, so
 * this is style: an info on each ADD (a warning per line buried the findings that matter), with a
 * safe fix that fix-all applies to every one.
 */
export default dockerfileRule({
  id: 'copy-not-add',
  aliases: ['DL3020', '9513a694-aa0d-41d8-be61-3271e056f36b'],
  title: 'Use COPY, not ADD, for local files and directories',
  category: 'correctness',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'ADD' || instruction.stage < 0) continue;
      let sources: string;
      if (instruction.heredocs.length > 0) {
        sources = `<<${instruction.heredocs[0]}`;
      } else {
        const paths = pathArguments(dockerfile, instruction);
        if (!paths) continue;
        // A source known only at build time may be a URL or an archive.
        if (paths.sources.some((s) => s.value === null || isRemote(s.value) || mayBeArchive(s.value))) continue;
        sources = paths.sources.map((s) => s.text).join(' ');
      }
      report({
        range: instruction.keywordRange,
        message: `\`ADD ${shown(sources)}\` copies local files, which is COPY's job: ADD also unpacks tar archives and fetches URLs, so the line hides what it does and changes behaviour if a source ever becomes an archive; use COPY.`,
      });
    }
  },
  fix(finding, dockerfile) {
    const instruction = dockerfile.instructions.find((i) => i.keyword === 'ADD' && i.keywordRange.start.line === finding.range.start.line && i.keywordRange.start.character === finding.range.start.character);
    if (!instruction) return undefined;
    if (instruction.flags.some((f) => ADD_ONLY_FLAGS.has(f.name))) return undefined;
    const written = dockerfile.document.getText(instruction.keywordRange);
    const keyword = written === written.toLowerCase() ? 'copy' : 'COPY';
    return { title: 'Replace ADD with COPY', edits: [{ range: instruction.keywordRange, newText: keyword }], safe: true };
  },
});
