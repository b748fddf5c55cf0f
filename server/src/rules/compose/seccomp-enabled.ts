import { isSeq, type Node } from 'yaml';
import { composeRule } from '../types';
import type { ComposeModel } from '../../compose/parse';
import { buildProject, type ComposeProject } from '../../compose/project';
import { removeSequenceItem } from '../../compose/hardening';

/**
 * The confinement Docker applies to every container by default, and what turning each off costs.
 * https://docs.docker.com/engine/security/seccomp/ and https://docs.docker.com/engine/security/apparmor/
 */
const OPT_OUTS: { pattern: RegExp; what: string; loses: string }[] = [
  { pattern: /^seccomp\s*[:=]\s*unconfined$/i, what: 'the seccomp filter', loses: 'every system call, including the rarely used ones most kernel exploits go through' },
  { pattern: /^apparmor\s*[:=]\s*unconfined$/i, what: 'the AppArmor profile', loses: 'writes to `/proc` and `/sys` and mounts that the default profile denies' },
  { pattern: /^label\s*[:=]\s*disable$/i, what: 'SELinux labelling', loses: 'the label that keeps it from host files and other containers' },
  { pattern: /^systempaths\s*[:=]\s*unconfined$/i, what: 'the masking of `/proc` and `/sys` paths', loses: 'host kernel settings such as `/proc/sys` and `/proc/kcore`' },
];

interface OptOut {
  compose: ComposeModel;
  service: string;
  item: Node;
  written: string;
  what: string;
  loses: string;
}

function optOuts(project: ComposeProject): OptOut[] {
  const result: OptOut[] = [];
  for (const service of project.services) {
    for (const { compose, node } of project.all(service, ['security_opt'])) {
      const value = compose.resolve(node);
      if (!isSeq(value)) continue;
      for (const item of compose.items(value)) {
        const written = compose.text(item);
        const known = written === null ? undefined : OPT_OUTS.find((o) => o.pattern.test(written.trim()));
        if (known && written !== null) result.push({ compose, service: service.name, item, written, what: known.what, loses: known.loses });
      }
    }
  }
  return result;
}

/**
 * Seccomp, AppArmor and SELinux are what stand between a root process in a container and the host
 * kernel's full attack surface; `unconfined` takes that layer away for the whole service.
 */
export default composeRule({
  id: 'seccomp-enabled',
  aliases: ['404fde2c-bc4b-4371-9747-7054132ac953'],
  title: 'Keep seccomp, AppArmor and SELinux confinement on',
  category: 'security',
  severity: 'warning',
  check({ compose, project, report }) {
    for (const o of optOuts(project)) {
      if (o.compose !== compose) continue;
      report({
        range: compose.rangeOf(o.item),
        message: `\`${o.written}\` turns off ${o.what} for \`${o.service}\`, which then reaches ${o.loses}; remove it, or give the service a custom profile that allows only what it needs.`,
        data: { service: o.service },
      });
    }
  },
  fix(finding, compose, context) {
    const project = buildProject(compose, context.path, context.files);
    const found = optOuts(project).find((o) => {
      if (o.compose !== compose) return false;
      const start = compose.rangeOf(o.item).start;
      return start.line === finding.range.start.line && start.character === finding.range.start.character;
    });
    if (!found) return undefined;
    const edit = compose.services.map((s) => (s.node ? removeSequenceItem(compose, s.node, 'security_opt', found.item) : undefined)).find(Boolean);
    return edit ? { title: `Remove \`${found.written}\``, edits: [edit], safe: false } : undefined;
  },
});
