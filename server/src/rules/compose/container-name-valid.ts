import { composeRule } from '../types';

/** The Docker engine's rule for container names (moby's `RestrictedNamePattern`); a leading `/` is allowed. */
const VALID = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * The Compose schema checks `container_name` with an unanchored pattern, so `my-app@123` passes
 * `docker compose config` and fails only when the engine creates the container: "Invalid container
 * name (my-app@123), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed".
 */
export default composeRule({
  id: 'container-name-valid',
  aliases: ['service-container-name-regex'],
  title: 'Use a container name Docker accepts',
  category: 'correctness',
  severity: 'error',
  check({ compose, report }) {
    for (const service of compose.services) {
      if (!service.node) continue;
      const entry = compose.get(service.node, 'container_name');
      // After interpolation; a name that depends on an unknown variable is not judged.
      const name = compose.text(entry?.value);
      if (!entry?.value || name === null || VALID.test(name)) continue;
      const why = name.length < 2 ? 'Docker needs at least two characters' : /^[^a-zA-Z0-9/]/.test(name) ? 'Docker needs it to start with a letter or a digit' : 'Docker allows only letters, digits, `_`, `.` and `-`';
      report({
        range: compose.rangeOf(entry.value),
        message: `\`${service.name}\` asks for the container name \`${name}\`, but ${why}, so creating the container fails with "Invalid container name"; rename it or remove \`container_name\` and let Compose name the container.`,
        data: { service: service.name, name },
      });
    }
  },
});
