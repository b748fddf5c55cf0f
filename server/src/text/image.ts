/** An image reference split the way the Docker CLI splits it. */
export interface ImageRef {
  /** The registry as written, or null for Docker Hub. */
  registry: string | null;
  /** The path after the registry, e.g. `library/node` is written `node`. */
  repository: string;
  /** The last path component, e.g. `node` for `docker.io/library/node`. */
  name: string;
  tag: string | null;
  digest: string | null;
}

/** Parses `[registry/]path[:tag][@digest]`; returns null for text that is not an image reference. */
export function parseImageRef(text: string): ImageRef | null {
  const value = text.trim();
  if (!value || /\s/.test(value)) return null;
  let rest = value;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | null = null;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  // `busybox:` or `alpine@` (an ARG that expanded to nothing) is no reference: the build fails.
  if (!rest || tag === '' || digest === '') return null;
  const name = rest.slice(rest.lastIndexOf('/') + 1);
  return { registry, repository: rest, name: name.toLowerCase(), tag: tag || null, digest: digest || null };
}

/** The registry host an image is pulled from, with Docker Hub's default filled in. */
export function registryOf(ref: ImageRef): string {
  return ref.registry ?? 'docker.io';
}
