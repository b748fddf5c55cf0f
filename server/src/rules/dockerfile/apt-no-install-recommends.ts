import { dockerfileRule } from '../types';
import { runsAndTriggers, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import { shellOf } from '../../dockerfile/shell';
import {
  commandSpan, commandText, editable, finalImageStages, flagValues, hasFlag, insertAfter, packageCommandAt, packageCommandsOf,
  simulates, writtenBefore, type PackageCommand,
} from '../../dockerfile/packages';
import { shippedStage } from '../../compose/target';

const RECOMMENDS_OFF = /^APT::Install-Recommends(=|\s+"?)(false|0|no)"?;?$/i;

/** True when the command, or a configuration written earlier in the image, turns recommends off. */
function recommendsOff(model: DockerfileModel, instruction: DockerInstruction, pc: PackageCommand): boolean {
  if (hasFlag(pc, '--no-install-recommends')) return true;
  if (flagValues(pc, '-o', '--option').some((v) => v !== null && RECOMMENDS_OFF.test(v))) return true;
  // `echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/…` applies to every later install.
  return writtenBefore(model, instruction, pc.command, /APT::Install-Recommends\s+"?(false|0|no)"?/i);
}

/**
 * By default apt also installs every package's "Recommends": documentation, extra tools and
 * libraries the application never uses, which add size and attack surface to the final image.
 */
export default dockerfileRule({
  id: 'apt-no-install-recommends',
  aliases: ['DL3015', '7384dfb2-fcd1-4fbf-91cd-6c44c318c33c'],
  title: 'Install apt packages with --no-install-recommends',
  category: 'size',
  severity: 'info',
  check({ dockerfile, report, path, files }) {
    const shipped = finalImageStages(dockerfile, shippedStage({ dockerfile, path, files }));
    for (const instruction of runsAndTriggers(dockerfile)) {
      if (!shipped.has(instruction.stage)) continue;
      // A script the grammar could not fully read may hide the option or version we look for.
      if (instruction.keyword === 'RUN' && shellOf(dockerfile, instruction).hasErrors) continue;
      for (const pc of packageCommandsOf(dockerfile, instruction)) {
        if (pc.manager !== 'apt' || pc.action !== 'install' || pc.operands.length === 0 || simulates(pc)) continue;
        if (recommendsOff(dockerfile, instruction, pc)) continue;
        report({
          range: commandSpan(pc),
          message: `\`${commandText(pc)}\` also installs every recommended package, which the final image carries as extra size and attack surface; add \`--no-install-recommends\` and list what the application needs.`,
        });
      }
    }
  },
  fix(finding, dockerfile) {
    const found = packageCommandAt(dockerfile, finding.range);
    if (!found || !editable(dockerfile, found.instruction, found.pc)) return undefined;
    const action = found.pc.actionWords[0];
    if (!action) return undefined;
    // Not safe: a recommended package can be one the application needs (libcurl recommends
    // ca-certificates, without which HTTPS fails at run time).
    return { title: 'Add `--no-install-recommends`', edits: [insertAfter(action, '--no-install-recommends')], safe: false };
  },
});
