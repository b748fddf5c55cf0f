import { composeRule } from '../types';
import { schemaProblems } from '../../compose/schema';

/**
 * A key Compose does not know, or a value of the wrong form, makes `docker compose` refuse the
 * whole file (or, for a misspelt key, silently drop a setting in older versions). A misspelt key
 * close to a known one (`restrat`) gets a quick fix to that key; it is a guess, so fix-all and
 * `shipshape fix` leave it to the user.
 */
export default composeRule({
  id: 'compose-schema',
  aliases: [],
  title: 'Follow the Compose Specification',
  category: 'correctness',
  severity: 'error',
  check({ compose, report }) {
    for (const problem of schemaProblems(compose)) {
      const rename = problem.rename;
      // The known key already written beside the misspelt one would become a duplicate: no fix then.
      const data = rename && !compose.get(rename.parent, rename.suggestion) ? { key: rename.key, suggestion: rename.suggestion, ...(rename.service ? { service: rename.service } : {}) } : undefined;
      report({ range: compose.rangeOf(problem.node), message: problem.message, ...(data ? { data } : {}) });
    }
  },
  fix(finding) {
    const suggestion = finding.data?.suggestion;
    if (typeof suggestion !== 'string') return undefined;
    return { title: `Rename \`${String(finding.data?.key)}\` to \`${suggestion}\``, edits: [{ range: finding.range, newText: suggestion }], safe: false };
  },
});
