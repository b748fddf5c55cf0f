import { dockerfileRule } from '../types';
import type { DockerfileModel, InstructionFlag, Stage } from '../../dockerfile/parse';
import { propertiesOf } from '../../dockerfile/references';

const TARGET_PLATFORM = /^(?:\$TARGETPLATFORM|\$\{TARGETPLATFORM\})$/;

/**
 * A stage is built for the target platform unless told otherwise, so `--platform=$TARGETPLATFORM`
 * only adds noise, and hides the stages where `--platform` really matters (`$BUILDPLATFORM` for
 * cross-compiling).
 * https://docs.docker.com/reference/build-checks/redundant-target-platform/
 */
export default dockerfileRule({
  id: 'redundant-target-platform',
  aliases: ['RedundantTargetPlatform', 'DL3065'],
  title: 'Drop --platform=$TARGETPLATFORM from FROM',
  category: 'style',
  severity: 'info',
  check({ dockerfile, report }) {
    if (targetPlatformHasDefault(dockerfile)) return;
    for (const stage of dockerfile.stages) {
      const flag = redundantFlag(stage);
      if (!flag) continue;
      report({
        range: flag.range,
        message: `\`--platform=${flag.value}\` asks for the platform a stage is built for anyway, so it only adds noise and blurs the stages that really need \`--platform\` (such as \`$BUILDPLATFORM\` builders); remove it.`,
      });
    }
  },
  fix(finding, dockerfile) {
    const stage = dockerfile.stages.find((s) => {
      const flag = redundantFlag(s);
      return flag && flag.range.start.line === finding.range.start.line && flag.range.start.character === finding.range.start.character;
    });
    const flag = stage && redundantFlag(stage);
    if (!flag) return undefined;
    // Take the blanks after the flag too, so `FROM --platform=… alpine` becomes `FROM alpine`.
    const line = dockerfile.document.getText({ start: flag.range.end, end: { line: flag.range.end.line + 1, character: 0 } });
    const blanks = /^[ \t]*/.exec(line)![0].length;
    return {
      title: 'Remove --platform=$TARGETPLATFORM',
      edits: [{ range: { start: flag.range.start, end: { line: flag.range.end.line, character: flag.range.end.character + blanks } }, newText: '' }],
      safe: true,
    };
  },
});

function redundantFlag(stage: Stage): InstructionFlag | undefined {
  return stage.from.flags.find((f) => f.name === 'platform' && f.value !== null && TARGET_PLATFORM.test(f.value));
}

/**
 * `ARG TARGETPLATFORM=linux/amd64` before the first FROM pins the value, and then the flag is not
 * the default any more.
 */
function targetPlatformHasDefault(dockerfile: DockerfileModel): boolean {
  return dockerfile.instructions.some((i) => i.stage < 0 && i.keyword === 'ARG' && propertiesOf(i).some((p) => p.name === 'TARGETPLATFORM' && p.value !== null));
}
