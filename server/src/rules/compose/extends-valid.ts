import { composeRule } from '../types';

/**
 * `extends` merges another service's definition into this one. Compose refuses the whole project
 * when a chain of `extends` comes back to a service it started from ("circular reference") or
 * names a service the file does not define ("service not found"), so nothing starts.
 */
export default composeRule({
  id: 'extends-valid',
  aliases: [],
  title: 'Extend a service that exists, without a cycle',
  category: 'correctness',
  severity: 'error',
  check({ compose, project, report }) {
    for (const problem of project.extendsProblems) {
      if (problem.compose !== compose) continue;
      const message = problem.kind === 'cycle'
        ? `\`${problem.service}\` extends \`${problem.target}\`, which leads back to it (${problem.chain.join(' → ')}): Compose stops with a circular reference and starts nothing; remove the \`extends\` that closes the loop.`
        : `\`${problem.service}\` extends ${problem.chain[0]}, but no such service is defined there: Compose stops with "service not found"; name an existing service.`;
      report({ range: compose.rangeOf(problem.node), message, data: { service: problem.service } });
    }
  },
});
