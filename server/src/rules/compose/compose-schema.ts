import { composeRule } from '../types';
import { schemaProblems } from '../../compose/schema';

/**
 * A key Compose does not know, or a value of the wrong form, makes `docker compose` refuse the
 * whole file (or, for a misspelt key, silently drop a setting in older versions).
 */
export default composeRule({
  id: 'compose-schema',
  aliases: [],
  title: 'Follow the Compose Specification',
  category: 'correctness',
  severity: 'error',
  check({ compose, report }) {
    for (const problem of schemaProblems(compose)) report({ range: compose.rangeOf(problem.node), message: problem.message });
  },
});
