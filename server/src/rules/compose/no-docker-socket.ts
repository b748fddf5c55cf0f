import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { booleanValue, type ComposeProject, type ProjectService } from '../../compose/project';
import { imageOf } from '../../compose/services';
import { parseImageRef } from '../../text/image';

/** A bind mount of a host path into a service, as written in one file. */
export interface HostMount {
  compose: ComposeModel;
  service: string;
  /** The node to report: the short-syntax item, or the long syntax's `source` value. */
  node: Node;
  /** The host path as written (`~/.ssh`, `${HOME}/.ssh`), variables kept when they are unknown. */
  written: string;
  /** The host path normalised for comparison (`~` for the home directory, no trailing slash). */
  path: string;
  readOnly: boolean;
}

/**
 * Splits the short volume syntax `SOURCE:TARGET[:MODE]`. A Windows drive (`C:\data`) stays part of
 * its path; a single part is an anonymous volume, which has no source.
 */
export function splitVolume(spec: string): { source: string | null; target: string; mode: string } | null {
  const m = /^((?:[A-Za-z]:[\\/])?[^:]*)(?::((?:[A-Za-z]:[\\/])?[^:]*))?(?::([^:]*))?$/.exec(spec.trim());
  if (!m) return null;
  if (m[2] === undefined) return { source: null, target: m[1], mode: '' };
  return { source: m[1], target: m[2], mode: m[3] ?? '' };
}

/** True for a host path (as opposed to a named volume): absolute, relative, home, variable or Windows. */
function isHostPath(source: string): boolean {
  return /^([/.~$\\]|[A-Za-z]:[\\/])/.test(source);
}

/** The raw text of a scalar, before interpolation (`${HOME}` stays as written). */
function rawText(node: Node | null): string | null {
  if (!isScalar(node)) return null;
  const value = (node as Scalar).value;
  return value === null || value === undefined ? null : String(value);
}

/** Normalises a host path: `$HOME` and `${HOME}` become `~`, doubled and trailing slashes go. */
export function normaliseHostPath(path: string): string {
  let p = path.trim().replace(/\\/g, '/');
  p = p.replace(/^\$\{HOME\}|^\$HOME(?![A-Za-z0-9_])/, '~');
  p = p.replace(/\/{2,}/g, '/').replace(/\/\.(?=\/|$)/g, '');
  if (p.length > 1) p = p.replace(/\/+$/, '');
  return p;
}

/**
 * Every host path bind-mounted into the merged service. Volumes are merged by target, so an
 * override that mounts something else at the same target replaces the base file's mount.
 */
export function hostMounts(project: ComposeProject, service: ProjectService): HostMount[] {
  const byTarget = new Map<string, HostMount | null>();
  for (const { compose, node } of project.all(service, ['volumes'])) {
    const list = compose.resolve(node);
    if (!isSeq(list)) continue;
    for (const entry of compose.items(list)) {
      const item = compose.resolve(entry);
      if (isScalar(item)) {
        const raw = rawText(item);
        if (raw === null) continue;
        const parts = splitVolume(compose.text(item) ?? raw);
        const rawParts = splitVolume(raw);
        if (!parts) continue;
        const target = parts.target || rawParts?.target || raw;
        if (parts.source === null || !isHostPath(rawParts?.source ?? parts.source)) {
          byTarget.set(target, null);
          continue;
        }
        const source = compose.text(item) !== null ? parts.source : rawParts?.source ?? parts.source;
        const readOnly = parts.mode.split(',').some((o) => o.trim() === 'ro');
        byTarget.set(target, { compose, service: service.name, node: item, written: rawParts?.source ?? source, path: normaliseHostPath(source), readOnly });
      } else if (isMap(item)) {
        const type = compose.text(compose.get(item, 'type')?.value)?.trim().toLowerCase();
        const sourceNode = compose.get(item, 'source')?.value ?? null;
        const target = compose.text(compose.get(item, 'target')?.value) ?? '';
        const raw = rawText(compose.resolve(sourceNode));
        const bind = type === 'bind' || type === 'npipe' || (type === undefined && raw !== null && isHostPath(raw));
        if (!bind || raw === null || !sourceNode) {
          byTarget.set(target, null);
          continue;
        }
        const source = compose.text(sourceNode) ?? raw;
        const readOnly = booleanValue(compose, compose.get(item, 'read_only')?.value ?? null) === true;
        byTarget.set(target, { compose, service: service.name, node: compose.resolve(sourceNode) ?? sourceNode, written: raw, path: normaliseHostPath(source), readOnly });
      }
    }
  }
  return [...byTarget.values()].filter((m): m is HostMount => m !== null);
}

/** The daemon sockets (and the pipe on Windows) whose API is the container engine itself. */
const SOCKET = /(^|\/)(docker|podman|containerd|cri-dockerd|crio)\.sock$|(^|\/)docker_engine$/i;
/** Directories that hold the Docker socket: mounting them mounts it. */
const SOCKET_DIRECTORIES = new Set(['/var/run', '/run']);

/** Tools that talk to the Docker API by design (matched on the image repository), and what for. */
const TOOLS: [RegExp, string][] = [
  [/(^|\/)traefik$/, 'reads container labels to route traffic'],
  [/^portainer\//, 'manages containers'],
  [/(^|\/)watchtower$/, 'pulls images and recreates containers'],
  [/(^|\/)cadvisor$/, 'reads container metrics'],
  [/^datadog\/agent$/, 'reads container metrics'],
  [/(^|\/)(nginx-proxy|docker-gen|acme-companion)$/, 'reads container settings to write its configuration'],
  [/(^|\/)(dozzle|logspout)$/, 'reads container logs'],
  [/(^|\/)autoheal$/, 'restarts unhealthy containers'],
  [/(^|\/)(gitlab-runner|drone-runner-docker|woodpecker-agent)$/, 'runs CI jobs in containers'],
];

/** A service whose image is a socket proxy is the fix this rule recommends, not a finding. */
function isSocketProxy(image: string | null): boolean {
  const ref = image ? parseImageRef(image) : null;
  return ref !== null && /socket-proxy/i.test(ref.repository);
}

function toolPurpose(image: string | null): string | null {
  const ref = image ? parseImageRef(image) : null;
  if (!ref) return null;
  const repository = ref.repository.toLowerCase();
  return TOOLS.find(([pattern]) => pattern.test(repository))?.[1] ?? null;
}

/**
 * The Docker API is root on the host: whoever reaches the socket can start a privileged container
 * that mounts `/`. A read-only bind changes nothing, since API calls are requests over the socket,
 * not writes to the file. https://docs.docker.com/engine/security/#docker-daemon-attack-surface
 */
export default composeRule({
  id: 'no-docker-socket',
  aliases: ['d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b'],
  title: 'Do not mount the Docker socket',
  category: 'security',
  severity: 'error',
  check({ compose, project, report }) {
    for (const service of project.services) {
      const image = imageOf(project, service);
      if (isSocketProxy(image)) continue;
      for (const mount of hostMounts(project, service)) {
        if (mount.compose !== compose) continue;
        const socket = SOCKET.test(mount.path) || SOCKET.test(mount.written);
        if (!socket && !SOCKET_DIRECTORIES.has(mount.path)) continue;
        const docker = /docker(\.sock|_engine)$/i.test(mount.path);
        const what = socket
          ? `${docker ? 'the Docker socket' : "the container engine's socket"} (\`${mount.written}\`)`
          : `\`${mount.written}\`, which holds the Docker socket,`;
        const ro = mount.readOnly ? ' (`:ro` does not help: API calls are not file writes)' : '';
        const purpose = toolPurpose(image);
        const advice = purpose
          ? `it ${purpose}, so put a socket proxy in front of the socket that allows only the API calls this needs (such as \`tecnativa/docker-socket-proxy\`)`
          : 'remove the mount, or, if the service must talk to Docker, give it a socket proxy that allows only the API calls it needs';
        report({
          range: compose.rangeOf(mount.node),
          message: `\`${service.name}\` mounts ${what} and control of the container engine is root on the host${ro}; ${advice}.`,
          data: { service: service.name },
        });
      }
    }
  },
});
