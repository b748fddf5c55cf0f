import type { Rule } from './types';
import composeSchema from './compose/compose-schema';
import composeSyntax from './compose/compose-syntax';
import dependsOnHealthy from './compose/depends-on-healthy';
import noPrivileged from './compose/no-privileged';
import imageRegistryTrusted from './common/image-registry-trusted';
import imageTagPinned from './common/image-tag-pinned';
import execFormCmd from './dockerfile/exec-form-cmd';
import noRootUser from './dockerfile/no-root-user';

/** The catalogue: one line per rule, sorted by file path. */
export const rules: readonly Rule[] = [
  imageRegistryTrusted,
  imageTagPinned,
  composeSchema,
  composeSyntax,
  dependsOnHealthy,
  noPrivileged,
  execFormCmd,
  noRootUser,
];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.id, r]));
