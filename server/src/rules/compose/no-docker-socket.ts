import { composeRule } from '../types';
import { hostMounts } from '../../compose/mounts';
import { imageOf } from '../../compose/services';
import { parseImageRef } from '../../text/image';

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
