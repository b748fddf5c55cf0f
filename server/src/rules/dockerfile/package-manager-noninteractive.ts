import { dockerfileRule } from '../types';
import { runsAndTriggers, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import {
  assumesYes, commandSpan, commandText, editable, insertAfter, packageCommandAt, packageCommandsOf, prompts, writtenBefore, type PackageCommand,
} from '../../dockerfile/packages';
import { shellOf } from '../../dockerfile/shell';

/** Configuration lines that make every later command assume yes (`APT::Get::Assume-Yes "true";`). */
const CONFIGURED_YES: Partial<Record<PackageCommand['manager'], RegExp>> = {
  apt: /APT::Get::Assume-Yes\s*"?(true|1|yes)"?/i,
  yum: /^\s*assumeyes\s*=\s*(1|true|yes)\s*$/im,
  dnf: /^\s*assumeyes\s*=\s*(1|true|yes)\s*$/im,
};

/** True when an earlier command of the image wrote a configuration that answers yes. */
function configuredYes(model: DockerfileModel, instruction: DockerInstruction, pc: PackageCommand): boolean {
  const pattern = CONFIGURED_YES[pc.manager];
  return pattern !== undefined && writtenBefore(model, instruction, pc.command, pattern);
}

/** The option that answers the prompt, for the message and the fix. */
function yesOption(pc: PackageCommand): string {
  return pc.manager === 'zypper' ? '-n' : '-y';
}

/**
 * `docker build` gives RUN no terminal to answer on: a package manager that asks "Do you want to
 * continue? [Y/n]" reads end-of-file and aborts, so the build fails (or, worse, only fails on the
 * day a dependency makes the prompt appear).
 */
export default dockerfileRule({
  id: 'package-manager-noninteractive',
  aliases: ['DL3014', 'DL3030', 'DL3034', 'DL3038', '77783205-c4ca-4f80-bb80-c777f267c547', '7ebd323c-31b7-4e5b-b26f-de5e9e477af8', '45e1fca5-f90e-465d-825f-c2cb63fa3944', '6e19193a-8753-436d-8a09-76dcff91bb03'],
  title: 'Let package managers assume yes',
  category: 'reliability',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const instruction of runsAndTriggers(dockerfile)) {
      // A script the grammar could not fully read may hide the option or version we look for.
      if (instruction.keyword === 'RUN' && shellOf(dockerfile, instruction).hasErrors) continue;
      for (const pc of packageCommandsOf(dockerfile, instruction)) {
        if (!prompts(pc) || assumesYes(pc)) continue;
        // `yes | apt-get install …` answers the prompt through the pipe.
        if (pc.command.pipeline.slice(0, pc.command.pipeline.indexOf(pc.command)).some((c) => c.program === 'yes')) continue;
        if (configuredYes(dockerfile, instruction, pc)) continue;
        const option = yesOption(pc);
        report({
          range: commandSpan(pc),
          message: `\`${commandText(pc)}\` stops to ask for confirmation whenever it has more to change than it was asked to, and a build has no one to answer, so it aborts; add \`${option}\`${pc.manager === 'zypper' ? ' before the subcommand' : ''}.`,
          data: { option },
        });
      }
    }
  },
  fix(finding, dockerfile) {
    const found = packageCommandAt(dockerfile, finding.range);
    if (!found) return undefined;
    const { instruction, pc } = found;
    const action = pc.actionWords[0];
    if (!action || !editable(dockerfile, instruction, pc)) return undefined;
    const option = yesOption(pc);
    // zypper's `-n` is a global option: it goes before the subcommand.
    const edit = pc.manager === 'zypper'
      ? { range: { start: action.range.start, end: action.range.start }, newText: `${option} ` }
      : insertAfter(pc.actionWords[pc.actionWords.length - 1], option);
    return { title: `Add \`${option}\``, edits: [edit], safe: true };
  },
});
