import { dockerfileRule } from '../types';
import { commandProblems } from '../../dockerfile/commands';

/**
 * A command the base image does not have fails the build: `apk` on Debian, `apt-get` on Alpine,
 * `useradd` on Alpine without the `shadow` package, BusyBox's `adduser -S` on Ubuntu (the
 * `eclipse-temurin` images), `dnf` on UBI minimal. Judged only where the distribution is certain.
 */
export default dockerfileRule({
  id: 'run-command-available',
  aliases: [],
  title: 'Run only commands the base image has',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    for (const problem of commandProblems(dockerfile)) report({ range: problem.range, message: problem.message });
  },
});
