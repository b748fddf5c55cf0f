import { dockerfileRule } from '../types';
import { isGitSource, pathArguments } from '../../dockerfile/copyArguments';

/** Branch names that move with every push: a source pinned to them is not pinned. */
const MOVING_REFS = new Set(['head', 'main', 'master', 'develop', 'development', 'dev', 'trunk', 'latest', 'nightly']);

/**
 * A Git source is pinned by a commit or a tag named in the URL (`#v1.2.3`, `#<sha>`,
 * `?tag=`/`?commit=`/`?checksum=`), or by `--checksum`. Without a ref, ADD clones the default branch.
 */
function gitRef(url: string): string | null {
  const query = /\?([^#]*)/.exec(url)?.[1];
  if (query) {
    const params = new URLSearchParams(query);
    for (const key of ['commit', 'checksum', 'tag', 'ref', 'branch']) {
      const value = params.get(key);
      if (value) return key === 'branch' ? `branch:${value}` : value;
    }
  }
  const hash = url.indexOf('#');
  if (hash < 0) return null;
  // `#ref:subdir`: the part before the colon is the ref.
  const ref = url.slice(hash + 1).split(':')[0];
  return ref || null;
}

function unpinnedGit(url: string): boolean {
  const ref = gitRef(url);
  if (ref === null) return true;
  if (ref.startsWith('branch:')) return true;
  return MOVING_REFS.has(ref.toLowerCase());
}

/**
 * ADD downloads at build time and trusts whatever the server returns: a replaced release asset, a
 * compromised mirror or a moved branch changes the image without any change to the Dockerfile.
 * `--checksum` makes BuildKit verify the bytes; a commit or tag in a Git URL fixes what is cloned.
 */
export default dockerfileRule({
  id: 'remote-add-checksum',
  aliases: [],
  title: 'Verify files that ADD downloads with --checksum',
  category: 'security',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'ADD' || instruction.stage < 0) continue;
      if (instruction.flags.some((f) => f.name === 'checksum' && f.value)) continue;
      const paths = pathArguments(dockerfile, instruction);
      if (!paths) continue;
      for (const source of paths.sources) {
        const url = source.value ?? source.text;
        const written = source.text.length > 70 ? `${source.text.slice(0, 67)}…` : source.text;
        if (isGitSource(url)) {
          if (!unpinnedGit(url)) continue;
          report({
            range: source.range,
            message: `\`ADD ${written}\` clones whatever the branch points to at build time, so the image changes with every push and nothing checks what was fetched; pin a tag or a full commit with \`#<ref>\` in the URL.`,
          });
        } else if (/^https?:\/\//i.test(url)) {
          const plain = /^http:\/\//i.test(url);
          report({
            range: source.range,
            message: `\`ADD ${written}\` downloads${plain ? ' over plain HTTP' : ''} without checking what it gets, so a replaced or tampered file goes into the image unnoticed; add \`--checksum=sha256:<digest>\` (Dockerfile syntax 1.6 or later)${plain ? ' and use HTTPS' : ''}.`,
          });
        }
      }
    }
  },
});
