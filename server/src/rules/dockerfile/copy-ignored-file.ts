import { basename } from 'node:path';
import { dockerfileRule } from '../types';
import { contextCopy, contextPath, excludedBy, mayReincludeUnder } from '../../dockerfile/dockerignore';
import { buildContextOf } from '../../project/buildContext';

/**
 * Files that `.dockerignore` excludes are not sent to the builder: a COPY or ADD that names one
 * fails with "not found", or copies nothing when it is a wildcard. The ignore file and the
 * Dockerfile usually change apart, so the mismatch shows up only at build time
 * (https://docs.docker.com/reference/build-checks/copy-ignored-file/).
 */
export default dockerfileRule({
  id: 'copy-ignored-file',
  aliases: ['CopyIgnoredFile'],
  title: 'Do not COPY files that .dockerignore excludes',
  category: 'correctness',
  severity: 'warning',
  check({ dockerfile, report, path, files }) {
    if (!path) return;
    const ignore = buildContextOf(path, dockerfile, files).ignore;
    if (!ignore || ignore.patterns.length === 0) return;
    const ignoreName = basename(ignore.path);
    for (const instruction of dockerfile.instructions) {
      const copy = contextCopy(dockerfile, instruction);
      if (!copy) continue;
      for (const source of copy.sources) {
        if (source.value === null) continue;
        const relative = contextPath(source.value);
        // The context root is never excluded as a whole; what it sends is dockerignore's job.
        if (relative === null || relative === '.') continue;
        const pattern = excludedBy(ignore.patterns, relative);
        if (!pattern) continue;
        // `*` then `!src/main.go`: `COPY src …` still copies what the exception lets through.
        if (mayReincludeUnder(ignore.patterns, relative)) continue;
        // A wildcard source is matched as written: with exceptions around, some of the files it
        // expands to may still be in the context (`*` and `!package.json` with `COPY *.json`).
        if (/[*?[]/.test(relative) && ignore.patterns.some((p) => p.negated)) continue;
        report({
          range: source.range,
          message: `\`${source.text}\` is excluded from the build context by \`${pattern.pattern}\` (${ignoreName}, line ${pattern.line + 1}), so this ${instruction.keyword} fails or copies nothing; remove the pattern or add \`!${relative}\` after it.`,
          data: { source: relative, pattern: pattern.pattern, ignoreFile: ignore.path, line: pattern.line },
        });
      }
    }
  },
});
