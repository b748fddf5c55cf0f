import { sharedRule } from '../types';
import { parseImageRef, registryOf, type ImageRef } from '../../text/image';

/**
 * True when the image comes from one of the trusted registries. An entry is a registry host
 * (`docker.io`, `ghcr.io`), a host with a path prefix (`ghcr.io/acme`), or a wildcard host
 * (`*.dkr.ecr.eu-west-1.amazonaws.com`). `*` alone trusts every registry, as in hadolint.
 */
export function isTrusted(ref: ImageRef, trusted: string[]): boolean {
  const registry = registryOf(ref).toLowerCase();
  const repository = ref.registry === null && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  const full = `${registry}/${repository.toLowerCase()}`;
  return trusted.some((entry) => {
    const e = entry.trim().toLowerCase().replace(/\/+$/, '').replace(/^(index\.)?docker\.io$/, 'docker.io').replace(/^hub\.docker\.com$/, 'docker.io');
    if (e === '*') return true;
    if (e.startsWith('*.')) return registry.endsWith(e.slice(1));
    return full === e || full.startsWith(`${e}/`);
  });
}

function message(image: string, ref: ImageRef, trusted: string[]): string {
  return `\`${image}\` comes from \`${registryOf(ref)}\`, which is not a trusted registry (${trusted.map((t) => `\`${t}\``).join(', ')}); pull it through one, so that what runs has been vetted and stays available.`;
}

/**
 * Images from registries the team has not vetted are a supply-chain risk and an availability
 * risk (rate limits, deletions). Reports only when `shipshape.trustedRegistries` (or
 * `.hadolint.yaml`'s `trustedRegistries`) lists registries.
 */
export default sharedRule({
  id: 'image-registry-trusted',
  aliases: ['DL3026'],
  title: 'Pull images from trusted registries',
  category: 'security',
  severity: 'error',
  dockerfile: {
    check({ dockerfile, options, report }) {
      if (options.trustedRegistries.length === 0) return;
      for (const { base } of dockerfile.stages) {
        if (base.stageRef !== null || base.scratch || !base.ref) continue;
        if (!isTrusted(base.ref, options.trustedRegistries)) report({ range: base.range, message: message(base.resolved ?? base.text, base.ref, options.trustedRegistries) });
      }
    },
  },
  compose: {
    check({ compose, options, report }) {
      if (options.trustedRegistries.length === 0) return;
      for (const service of compose.services) {
        if (!service.node || compose.get(service.node, 'build')) continue;
        const entry = compose.get(service.node, 'image');
        const image = compose.text(entry?.value);
        const ref = image ? parseImageRef(image) : null;
        if (ref && entry?.value && !isTrusted(ref, options.trustedRegistries)) {
          report({ range: compose.rangeOf(entry.value), message: message(image!, ref, options.trustedRegistries) });
        }
      }
    },
  },
});
