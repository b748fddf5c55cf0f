import { composeRule } from '../types';

/** Compose refuses a file it cannot parse; nothing else in it can be checked until it parses. */
export default composeRule({
  id: 'compose-syntax',
  aliases: [],
  title: 'Write valid YAML with a mapping at the top',
  category: 'correctness',
  severity: 'error',
  check({ compose, report }) {
    for (const problem of compose.problems) report({ range: problem.range, message: problem.message });
  },
});
