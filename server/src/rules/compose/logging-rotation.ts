import { isMap } from 'yaml';
import { composeRule } from '../types';
import { buildProject, type ComposeProject, type Located, type ProjectService } from '../../compose/project';
import { appendToMap, unitOf } from '../../compose/edit';
import { isBlockMap } from '../../compose/layout';

/** What the fix writes: ten megabytes per file, three files, so at most 30 MB of logs per container. */
const MAX_SIZE = '"10m"';
const MAX_FILE = '"3"';

/** Where a service's json-file logging lacks rotation: the driver or options node to report, or null. */
function unrotated(project: ComposeProject, service: ProjectService): { at: Located; explicit: boolean } | null {
  const logging = project.get(service, ['logging']);
  if (!logging || !isMap(logging.compose.resolve(logging.node))) return null;
  if (project.get(service, ['logging', 'options', 'max-size'])) return null;
  const driver = project.get(service, ['logging', 'driver']);
  if (driver) {
    // `local` rotates by default; syslog, journald, fluentd… keep no file in the container's folder.
    return driver.compose.text(driver.node) === 'json-file' ? { at: driver, explicit: true } : null;
  }
  // Options without a driver configure the daemon's default driver, json-file unless the host changed it.
  const options = project.get(service, ['logging', 'options']);
  return options && isMap(options.compose.resolve(options.node)) ? { at: { ...options, node: options.keyNode }, explicit: false } : null;
}

/**
 * The json-file log driver keeps everything a container prints in one file that never stops
 * growing unless `max-size` is set: a chatty service fills the disk, and the whole host fails
 * with it. https://docs.docker.com/engine/logging/drivers/json-file/
 */
export default composeRule({
  id: 'logging-rotation',
  aliases: [],
  title: 'Rotate json-file logs',
  category: 'reliability',
  severity: 'info',
  check({ compose, project, report }) {
    for (const service of project.services) {
      const found = unrotated(project, service);
      if (!found || found.at.compose !== compose || !found.at.node) continue;
      report({
        range: compose.rangeOf(found.at.node),
        message: found.explicit
          ? `\`${service.name}\` logs with the \`json-file\` driver without \`max-size\`, so its log file grows until the disk is full; add \`max-size\` and \`max-file\` under \`logging.options\` (or use the \`local\` driver, which rotates by default).`
          : `\`${service.name}\` sets logging options without \`max-size\`, so with Docker's default \`json-file\` driver its log file grows until the disk is full (\`max-file\` alone does nothing); add \`max-size\`.`,
        data: { service: service.name },
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const service = project.service(String(finding.data?.service));
    if (!service || !unrotated(project, service)) return undefined;
    const logging = project.get(service, ['logging']);
    if (!logging || logging.compose !== compose) return undefined;
    const map = compose.resolve(logging.node);
    if (!isBlockMap(map)) return undefined;
    const optionsEntry = compose.get(map, 'options');
    if (!optionsEntry) {
      const edit = appendToMap(compose, map, ['options:', `${unitOf(compose)}max-size: ${MAX_SIZE}`, `${unitOf(compose)}max-file: ${MAX_FILE}`]);
      return edit ? { title: 'Rotate logs at 10 MB, keeping 3 files', edits: [edit], safe: true } : undefined;
    }
    const options = compose.resolve(optionsEntry.value);
    if (!isBlockMap(options)) return undefined;
    const lines = [`max-size: ${MAX_SIZE}`, ...(compose.get(options, 'max-file') ? [] : [`max-file: ${MAX_FILE}`])];
    const edit = appendToMap(compose, options, lines);
    return edit ? { title: 'Rotate logs at 10 MB', edits: [edit], safe: true } : undefined;
  },
});
