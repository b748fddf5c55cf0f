import { basename } from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import type { DockerfileModel } from '../../dockerfile/parse';
import { closestStage } from './build-target-exists';

/**
 * Build arguments the builder knows without an `ARG`: the proxy settings and BuildKit's own
 * switches (https://docs.docker.com/build/building/variables/#pre-defined-build-arguments,
 * https://docs.docker.com/reference/dockerfile/#buildkit-built-in-build-args).
 */
const PREDEFINED = new Set([
  'HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY',
  'http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy',
  'BUILDKIT_CACHE_MOUNT_NS', 'BUILDKIT_CONTEXT_KEEP_GIT_DIR', 'BUILDKIT_HISTORY_PROVENANCE_V1', 'BUILDKIT_INLINE_CACHE',
  'BUILDKIT_MULTI_PLATFORM', 'BUILDKIT_SANDBOX_HOSTNAME', 'BUILDKIT_SYNTAX', 'BUILDKIT_DOCKERFILE_CHECK', 'SOURCE_DATE_EPOCH',
]);

/** Every name an `ARG` declares, before the first FROM or in any stage. */
function declaredArgs(model: DockerfileModel): Set<string> {
  const names = new Set<string>();
  for (const instruction of model.instructions) {
    if (instruction.keyword !== 'ARG') continue;
    const node = instruction.ast as unknown as { getProperties?(): { getName(): string }[]; getProperty?(): { getName(): string } | null };
    const properties = typeof node.getProperties === 'function' ? node.getProperties() : node.getProperty?.() ? [node.getProperty()!] : [];
    for (const p of properties) names.add(p.getName());
  }
  return names;
}

/** The argument names a `build.args` value passes, with the range of each name. */
function passedArgs(compose: ComposeModel, value: Node | null): { name: string; range: Range }[] {
  const node = compose.resolve(value);
  if (isMap(node)) return compose.entries(node).map((e) => ({ name: e.key, range: compose.rangeOf(e.keyNode) }));
  if (!isSeq(node)) return [];
  const result: { name: string; range: Range }[] = [];
  const text = compose.document.getText();
  for (const item of compose.items(node)) {
    const scalar = compose.resolve(item);
    if (!isScalar(scalar) || !scalar.range) continue;
    const raw = String(scalar.value ?? '');
    const name = raw.split('=')[0].trim();
    if (!name) continue;
    // Point at the name inside `- NAME=value` (after an opening quote) when it is written as is.
    const start = scalar.range[0] + (/^["']/.test(text[scalar.range[0]]) ? 1 : 0);
    const range = text.startsWith(name, start)
      ? { start: compose.document.positionAt(start), end: compose.document.positionAt(start + name.length) }
      : compose.rangeOf(scalar);
    result.push({ name, range });
  }
  return result;
}

/**
 * A build argument that no `ARG` declares never reaches the build: BuildKit drops it silently,
 * so a typo (`NODE_VERISON`) or an `ARG` removed from the Dockerfile leaves the build running
 * with the Dockerfile's default while the Compose file claims otherwise.
 */
export default composeRule({
  id: 'build-args-declared',
  aliases: [],
  title: 'Pass only build args the Dockerfile declares',
  category: 'correctness',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const service of project.services) {
      const built = project.dockerfile(service);
      if (!built) continue;
      const declared = declaredArgs(built.model);
      const file = built.path ? `\`${basename(built.path)}\`` : 'the inline Dockerfile';
      for (const located of project.all(service, ['build', 'args'])) {
        if (located.compose !== compose) continue;
        const args = passedArgs(compose, located.node);
        const passed = new Set(args.map((a) => a.name));
        for (const arg of args) {
          if (declared.has(arg.name) || PREDEFINED.has(arg.name)) continue;
          const sameName = [...declared].find((d) => d.toLowerCase() === arg.name.toLowerCase());
          const near = sameName ?? closestStage(arg.name, [...declared].filter((d) => !passed.has(d)));
          const why = sameName ? ` (build args are case-sensitive: the Dockerfile declares \`${sameName}\`)` : near ? ` (the Dockerfile declares \`${near}\`)` : '';
          report({
            range: arg.range,
            message: `\`${service.name}\` passes the build arg \`${arg.name}\`, but ${file} declares no \`ARG ${arg.name}\`, so the value never reaches the build${why}; ${near ? `rename it to \`${near}\`` : `add \`ARG ${arg.name}\` to the stage that uses it, or remove it here`}.`,
            data: { service: service.name, arg: arg.name },
          });
        }
      }
    }
  },
});
