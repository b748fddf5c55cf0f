import { stageAncestry, type DockerfileModel, type Stage } from './parse';

/**
 * Images that leave the working directory at `/`: Docker Hub's operating-system images, and the
 * language images of docker-library that set no WORKDIR (`node`, `python`…). Others often set
 * their own (`golang` uses `/go`, `php` `/var/www/html`, `gradle` `/home/gradle`).
 */
const ROOT_WORKDIR_IMAGES = new Set([
  'alpine', 'debian', 'ubuntu', 'busybox', 'fedora', 'centos', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux',
  'archlinux', 'opensuse/leap', 'opensuse/tumbleweed', 'photon', 'clearlinux',
  'buildpack-deps', 'node', 'python', 'ruby', 'rust', 'haskell', 'eclipse-temurin', 'openjdk',
]);

/** The working directory a stage starts in when it is known for sure: `/` for scratch and the images above. */
export function knownDefaultWorkdir(model: DockerfileModel, stage: Stage): string | null {
  const chain = stageAncestry(model, stage);
  const root = chain[chain.length - 1].base;
  if (root.stageRef !== null) return null;
  if (root.scratch) return '/';
  const ref = root.ref;
  if (!ref || (ref.registry !== null && ref.registry !== 'docker.io')) return null;
  const repository = ref.repository.toLowerCase().replace(/^library\//, '');
  return ROOT_WORKDIR_IMAGES.has(repository) ? '/' : null;
}
