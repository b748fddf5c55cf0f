import type { TextEdit } from 'vscode-languageserver-types';
import { runsAndTriggers } from '../../dockerfile/parse';
import { dockerfileRule } from '../types';
import { editable, packageCommandAt, packageCommandsOf, type PackageCommand } from '../../dockerfile/packages';

/** What `apt <subcommand>` becomes in the stable tools: program and subcommand; null subcommand keeps it. */
const REPLACEMENT: Record<string, { program: string; action?: string } | null> = {
  install: { program: 'apt-get' },
  reinstall: { program: 'apt-get', action: 'install --reinstall' },
  remove: { program: 'apt-get' },
  purge: { program: 'apt-get' },
  autoremove: { program: 'apt-get' },
  autopurge: { program: 'apt-get', action: 'autoremove --purge' },
  update: { program: 'apt-get' },
  upgrade: { program: 'apt-get' },
  'dist-upgrade': { program: 'apt-get' },
  'full-upgrade': { program: 'apt-get', action: 'dist-upgrade' },
  clean: { program: 'apt-get' },
  autoclean: { program: 'apt-get' },
  'dist-clean': { program: 'apt-get' },
  source: { program: 'apt-get' },
  'build-dep': { program: 'apt-get' },
  download: { program: 'apt-get' },
  changelog: { program: 'apt-get' },
  satisfy: { program: 'apt-get' },
  search: { program: 'apt-cache' },
  show: { program: 'apt-cache' },
  showsrc: { program: 'apt-cache' },
  policy: { program: 'apt-cache' },
  depends: { program: 'apt-cache' },
  rdepends: { program: 'apt-cache' },
  // No stable equivalent with the same output: reported, not rewritten.
  list: null,
  'edit-sources': null,
};

function usesApt(pc: PackageCommand): boolean {
  return pc.manager === 'apt' && pc.program === 'apt' && pc.action in REPLACEMENT;
}

/**
 * `apt` is the command for people at a terminal: its output, prompts and defaults may change
 * between releases, and it prints "apt does not have a stable CLI interface" when piped. Scripts
 * (and a Dockerfile is one) should use `apt-get` and `apt-cache`, which keep their behaviour.
 * `apt` works today, so this is an info on each command, with a safe fix fix-all applies to all.
 */
export default dockerfileRule({
  id: 'apt-get-not-apt',
  aliases: ['DL3027', 'b84a0b47-2e99-4c9f-8933-98bcabe2b94d'],
  title: 'Use apt-get or apt-cache instead of apt',
  category: 'reliability',
  severity: 'info',
  check({ dockerfile, report }) {
    for (const instruction of runsAndTriggers(dockerfile)) {
      for (const pc of packageCommandsOf(dockerfile, instruction)) {
        if (!usesApt(pc)) continue;
        const replacement = REPLACEMENT[pc.action];
        const instead = replacement ? `\`${replacement.program} ${replacement.action ?? pc.action}\`` : '`apt-get` or `apt-cache`';
        report({
          range: pc.programWord.range,
          message: `\`apt ${pc.action}\` is meant for interactive use and warns that its command line is not stable in scripts, so a new release can change what this build does; use ${instead}.`,
        });
      }
    }
  },
  fix(finding, dockerfile) {
    const found = packageCommandAt(dockerfile, finding.range);
    if (!found || !usesApt(found.pc) || !editable(dockerfile, found.instruction, found.pc)) return undefined;
    const { pc } = found;
    const replacement = REPLACEMENT[pc.action];
    const name = pc.programWord;
    // Only a plain word is rewritten (`apt`, `/usr/bin/apt`), never a quoted or computed one.
    if (!replacement || name.value === null || name.text !== name.value) return undefined;
    const edits: TextEdit[] = [{ range: name.range, newText: name.value.replace(/apt$/, replacement.program) }];
    if (replacement.action) edits.push({ range: pc.actionWords[0].range, newText: replacement.action });
    const title = `Replace \`apt ${pc.action}\` with \`${replacement.program} ${replacement.action ?? pc.action}\``;
    return { title, edits, safe: true };
  },
});
