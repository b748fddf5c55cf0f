import { dockerfileRule } from '../types';
import { insertBefore } from '../../fixes/dockerfileEdits';
import { copySourceStage, stageAncestry, type DockerInstruction, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { shippedStageLabel } from '../../dockerfile/shipped';
import { packageState, startWords, variantOf } from '../../dockerfile/healthchecks';
import { distroOf } from '../../text/images';

/** Where Alpine and Debian keep the CA bundle, which Go, OpenSSL and rustls-native-certs all read. */
const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** Paths and variables that show the image already has (or points at) a CA bundle. */
const CERT_PATH = /ssl\/certs|ca-certificates|ca-bundle|\/etc\/pki|\/etc\/ssl\/?$|cacert/i;

interface Problem {
  final: Stage;
  chain: Stage[];
  /** The first `COPY --from=<stage>` of the final chain: the binary, and where the bundle can come from. */
  copy: DockerInstruction | null;
}

function problem(dockerfile: DockerfileModel, final: Stage | undefined): Problem | null {
  if (!final) return null;
  const chain = stageAncestry(dockerfile, final);
  if (!chain[chain.length - 1].base.scratch) return null;
  const instructions = [...chain].reverse().flatMap((s) => s.instructions);
  // Without a command the stage is a file export (`--output`) or a base for others, not a program.
  if (!instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT')) return null;
  // A WebAssembly module runs in a Wasm runtime, which brings its own view of the host.
  if (/\.wasm$/.test(startWords(dockerfile, chain)[0] ?? '')) return null;
  const copies = instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
  // Only a program built elsewhere and copied in (`COPY --from=…`) is judged: plain copies are data.
  if (!copies.some((c) => c.flags.some((f) => f.name === 'from'))) return null;
  if (copies.some((c) => c.ast.getArguments().some((a) => CERT_PATH.test(a.getValue())))) return null;
  // SSL_CERT_FILE / SSL_CERT_DIR point the TLS stack at a bundle shipped some other way.
  if (instructions.some((i) => i.keyword === 'ENV' && /\bSSL_CERT_(?:FILE|DIR)\b/.test(i.args))) return null;
  const copy = copies.find((c) => copySourceStage(dockerfile, c) !== null) ?? null;
  return { final, chain, copy };
}

/** True when a stage's image is known to carry the bundle at /etc/ssl/certs/ca-certificates.crt. */
function carriesBundle(dockerfile: DockerfileModel, stage: Stage): boolean {
  const chain = stageAncestry(dockerfile, stage);
  if (packageState(dockerfile, [...chain].reverse(), 'ca-certificates') === 'installed') return true;
  const root = chain[chain.length - 1].base;
  const distro = distroOf(root.ref, root.scratch);
  if (!root.ref || root.stageRef !== null) return false;
  // Alpine's base layer includes ca-certificates-bundle; the Go and Rust images install ca-certificates.
  if (distro === 'alpine') return true;
  if (root.ref.name === 'golang' || root.ref.name === 'rust' || root.ref.name === 'buildpack-deps') return true;
  // The full language images are built on buildpack-deps; python's slim image installs ca-certificates too.
  const variant = variantOf(root.ref, distro);
  if (['node', 'python', 'ruby'].includes(root.ref.name) && variant === 'full') return true;
  return root.ref.name === 'python' && variant === 'slim';
}

/**
 * `scratch` is empty: a program copied into it finds no CA certificates, so every HTTPS call it
 * makes fails certificate verification ("x509: certificate signed by unknown authority").
 */
export default dockerfileRule({
  id: 'ca-certificates-in-scratch',
  aliases: [],
  title: 'Copy CA certificates into scratch images',
  category: 'reliability',
  severity: 'info',
  check({ dockerfile, report, path, files }) {
    const found = problem(dockerfile, shippedStage({ dockerfile, path, files }));
    if (!found) return;
    report({
      range: found.final.base.range,
      message: `${shippedStageLabel(dockerfile, found.final)} is built on \`scratch\`, which has no CA certificates, so any HTTPS call the program makes fails verification; copy the bundle in, e.g. \`COPY --from=<build stage> ${BUNDLE} /etc/ssl/certs/\`.`,
    });
  },
  fix(finding, dockerfile, context) {
    const found = problem(dockerfile, shippedStage({ dockerfile, ...context }));
    if (!found?.copy) return undefined;
    const source = copySourceStage(dockerfile, found.copy);
    if (!source || !carriesBundle(dockerfile, source)) return undefined;
    const from = found.copy.flags.find((f) => f.name === 'from')!.value!;
    return {
      title: `Copy the CA bundle from stage \`${from}\``,
      edits: [insertBefore(dockerfile, found.copy, [`COPY --from=${from} ${BUNDLE} /etc/ssl/certs/`])],
      // It only adds a file, from a stage known to have it.
      safe: true,
    };
  },
});
