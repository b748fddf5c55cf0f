import { posix } from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import { dockerfileRule, type FileAccess } from '../types';
import { stageAncestry, type DockerInstruction, type DockerfileModel } from '../../dockerfile/parse';
import { copiedBefore, editable, hasFlag, packageCommandAt, packageCommandsOf, type PackageCommand } from '../../dockerfile/packages';
import { globToRegExp } from '../../text/regexp';

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'];

/** The sources of a COPY or ADD (every word but the destination); null for a here-document. */
function copySources(instruction: DockerInstruction): string[] | null {
  if (instruction.heredocs.length > 0) return null;
  const words = instruction.json ?? instruction.args.trim().split(/\s+/).filter(Boolean);
  return words.length >= 2 ? words.slice(0, -1) : [];
}

type Lockfile = 'present' | 'absent' | 'unknown';

/** Whether a lockfile sits in a directory of the build context (taken to be the Dockerfile's directory). */
function lockfileIn(dir: string, contextDir: string | null, files: FileAccess): Lockfile {
  if (contextDir === null) return 'unknown';
  const base = posix.join(contextDir, dir);
  if (LOCKFILES.some((f) => files.exists(posix.join(base, f)))) return 'present';
  return files.exists(posix.join(base, 'package.json')) ? 'absent' : 'unknown';
}

/** True when a COPY or ADD brings an npm lockfile into the image. */
function copiesLockfile(copy: DockerInstruction, contextDir: string | null, files: FileAccess): boolean {
  const fromStage = copy.flags.some((f) => f.name === 'from');
  for (const raw of copySources(copy) ?? []) {
    const source = raw.replace(/^\.\//, '');
    const name = posix.basename(source);
    const dir = posix.dirname(source);
    if (LOCKFILES.includes(name)) return true;
    if (fromStage || /^[a-z]+:\/\//i.test(source)) continue;
    if (/[*?[]/.test(name)) {
      // `COPY package*.json ./` copies the lockfile when the project has one.
      if (LOCKFILES.some((f) => globToRegExp(name).test(f)) && lockfileIn(dir, contextDir, files) !== 'absent') return true;
      continue;
    }
    // A directory (`COPY . .`) copies the lockfile only if there is one: that needs the context.
    if (!/\.[a-z0-9]+$/i.test(name) || source === '.' || source === '') {
      if (lockfileIn(source === '' ? '.' : source, contextDir, files) === 'present') return true;
    }
  }
  return false;
}

/** `npm install` with no packages, installing the project's own dependencies. */
function installsProject(pc: PackageCommand): boolean {
  return pc.manager === 'npm' && pc.action === 'install' && pc.actionWords[0]?.value !== 'add' && pc.operands.length === 0
    && !hasFlag(pc, '-g', '--global', '--no-package-lock', '--package-lock-only') && !pc.rest.some((w) => w.value === '--location=global');
}

/** The major Node.js version of the stage's `node` base image, when its tag says. */
function nodeMajor(model: DockerfileModel, instruction: DockerInstruction): number | null {
  const stage = model.stages[instruction.stage];
  if (!stage) return null;
  const chain = stageAncestry(model, stage);
  const ref = chain[chain.length - 1].base.ref;
  if (ref?.name !== 'node' || !ref.tag) return null;
  const m = /^(\d+)/.exec(ref.tag);
  return m ? Number(m[1]) : null;
}

/**
 * `npm install` treats package-lock.json as a hint: it may resolve newer versions within the
 * ranges of package.json and rewrite the lockfile, so the image holds dependencies nobody tested.
 * `npm ci` installs exactly what the lockfile records, starts from an empty node_modules, and
 * fails when the lockfile and package.json disagree.
 */
export default dockerfileRule({
  id: 'npm-ci',
  aliases: [],
  title: 'Use npm ci when a lockfile is copied',
  category: 'reliability',
  severity: 'info',
  check({ dockerfile, report, path, files }) {
    const contextDir = path ? posix.dirname(path.replace(/\\/g, '/')) : null;
    let copied: Map<DockerInstruction, boolean> | undefined;
    for (const instruction of dockerfile.instructions) {
      for (const pc of packageCommandsOf(dockerfile, instruction)) {
        if (!installsProject(pc)) continue;
        copied ??= copiedBefore(dockerfile, (copy) => copiesLockfile(copy, contextDir, files));
        if (!copied.get(instruction)) continue;
        const action = pc.actionWords[0];
        report({
          range: { start: pc.programWord.range.start, end: action.range.end },
          message: `\`npm ${action.value}\` may resolve newer versions than the copied lockfile records (and rewrite it), so the image can hold dependencies nobody tested; use \`npm ci\`, which installs exactly the lockfile and fails when it is out of date.`,
        });
      }
    }
  },
  fix(finding, dockerfile) {
    const found = packageCommandAt(dockerfile, finding.range);
    if (!found || !installsProject(found.pc) || !editable(dockerfile, found.instruction, found.pc)) return undefined;
    const { pc, instruction } = found;
    const edits: TextEdit[] = [{ range: pc.actionWords[0].range, newText: 'ci' }];
    // npm 7+ (Node 15+) spells "no devDependencies" `--omit=dev`; npm 6 only knows `--production`.
    const major = nodeMajor(dockerfile, instruction);
    if (major === null || major >= 15) {
      const args = pc.command.args;
      for (let i = 0; i < args.length; i++) {
        const v = args[i].value;
        if (v === '--production' || v === '--only=production' || v === '--only=prod') {
          edits.push({ range: args[i].range, newText: '--omit=dev' });
        } else if (v === '--only' && (args[i + 1]?.value === 'production' || args[i + 1]?.value === 'prod')) {
          edits.push({ range: { start: args[i].range.start, end: args[i + 1].range.end }, newText: '--omit=dev' });
          i++;
        }
      }
    }
    return { title: 'Replace `npm install` with `npm ci`', edits, safe: true };
  },
});
