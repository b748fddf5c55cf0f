import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule } from '../types';
import type { DockerfileModel, Stage } from '../../dockerfile/parse';
import { stageReferences } from './copy-from-valid';

/** The definition and every literal reference to `stage` that is not written in lower case. */
function lowerCaseEdits(model: DockerfileModel, stage: Stage): TextEdit[] {
  const lower = stage.name!.toLowerCase();
  const edits: TextEdit[] = [{ range: stage.nameRange!, newText: lower }];
  for (const other of model.stages) {
    const base = other.base;
    if (base.stageRef === stage.index && base.text.toLowerCase() === lower && base.text !== lower) edits.push({ range: base.range, newText: lower });
  }
  for (const reference of stageReferences(model)) {
    if (reference.written === reference.value && reference.written.toLowerCase() === lower && reference.written !== lower) {
      edits.push({ range: reference.range, newText: lower });
    }
  }
  return edits;
}

/**
 * Docker lower-cases stage names before it looks them up, so `AS Build` and `--from=build` are
 * the same stage: mixed case only makes names look different where they are not. See
 * https://docs.docker.com/reference/build-checks/stage-name-casing/.
 */
export default dockerfileRule({
  id: 'stage-name-casing',
  aliases: ['StageNameCasing'],
  title: 'Write stage names in lower case',
  category: 'style',
  severity: 'warning',
  check({ dockerfile, report }) {
    for (const stage of dockerfile.stages) {
      if (!stage.name || !stage.nameRange || stage.name === stage.name.toLowerCase()) continue;
      report({
        range: stage.nameRange,
        message: `Stage name \`${stage.name}\` is not lower-case; Docker lower-cases stage names anyway, so \`--from=${stage.name}\` and \`--from=${stage.name.toLowerCase()}\` look different but name the same stage; write \`${stage.name.toLowerCase()}\`.`,
      });
    }
  },
  fix(finding, dockerfile) {
    const stage = dockerfile.stages.find(
      (s) => s.nameRange && s.nameRange.start.line === finding.range.start.line && s.nameRange.start.character === finding.range.start.character,
    );
    if (!stage?.name) return undefined;
    const lower = stage.name.toLowerCase();
    // With two stages of the same name, which one a reference means is already unclear (see stage-names-unique).
    if (dockerfile.stages.some((s) => s !== stage && s.name?.toLowerCase() === lower)) return undefined;
    return { title: `Rename the stage to ${lower}`, edits: lowerCaseEdits(dockerfile, stage), safe: true };
  },
});
