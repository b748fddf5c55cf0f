import type { TextEdit } from 'vscode-languageserver-types';
import { sharedRule, type Finding, type Fix, type Severity } from '../types';
import { parseImageRef, type ImageRef } from '../../text/image';
import { stageAncestry, type DockerfileModel, type Stage } from '../../dockerfile/parse';
import { shippedStage } from '../../compose/target';
import { isInstall, packageCommandsOf } from '../../dockerfile/packages';
import { propertiesOf } from '../../dockerfile/references';
import { pathArguments } from '../../dockerfile/copyArguments';
import { splitVolume } from '../../compose/mounts';
import type { ComposeModel } from '../../compose/parse';
import { isMap, type Node } from 'yaml';
import { expandVariables, referencedVariables } from '../../text/variables';
import type { Deprecation, Product } from '../../data/endOfLife';
import {
  compareVersions, daysAfter, discontinued, hasLts, imageName, lifecycleOf, lineName, onDate, retag, statusOf, successors,
  type ImageLifecycle, type LineStatus,
} from '../../text/lifecycle';

/** Where a version sits in a tag does not depend on the day: any date will do. */
const POSITIONS_ONLY = '1970-01-01';

/** The managers of distribution packages, whose names can change with the release below an image. */
const SYSTEM_MANAGERS = new Set(['apt', 'apk', 'yum', 'dnf', 'zypper']);

interface Judgement {
  message: string;
  /** Days since the end (or the deprecation), for the escalation to error; null when unknown. */
  daysPast: number | null;
  /** The image a quick fix moves to, or why none is offered; absent when the finding has no fix at all. */
  fix?: { target: string } | { reason: string };
}

function after(status: LineStatus): string {
  return status.product.after ?? 'no security fixes since';
}

function ended(status: LineStatus): string {
  return `${lineName(status)}, which reached ${status.product.ends ?? 'end of life'} ${onDate(status.eol!)}`;
}

/** `move to `node:22-alpine` (the oldest line still supported) or `node:26-alpine` (the current LTS)`. */
function moveTo(ref: ImageRef, lifecycle: ImageLifecycle, today: string): string | null {
  const tag = ref.tag ?? '';
  const own = lifecycle.own?.ended ? successors(lifecycle.own.product, lifecycle.own.line, today) : [];
  const base = lifecycle.base?.ended ? successors(lifecycle.base.product, lifecycle.base.line, today) : [];
  const steps = own.length > 0 ? own : base;
  if (steps.length === 0) return null;
  const product = (own.length > 0 ? lifecycle.own! : lifecycle.base!).product;
  const kind = product.distribution ? 'release' : 'line';
  const options = steps.map((step, i) => {
    const baseStep = own.length > 0 ? base[Math.min(i, base.length - 1)]?.line ?? null : step.line;
    const image = `${imageName(ref)}:${retag(tag, lifecycle, own.length > 0 ? step.line : null, baseStep)}`;
    if (steps.length === 1) return `\`${image}\``;
    const role = step.role === 'oldest' ? `the oldest ${kind} still supported` : hasLts(product) ? 'the current LTS' : `the newest ${kind}`;
    return `\`${image}\` (${role})`;
  });
  return `move to ${options.join(' or ')}`;
}

function replacementOf(deprecation: Deprecation, ref: ImageRef): string {
  if (deprecation.replacement.includes('`')) return deprecation.replacement;
  const tag = (ref.tag ?? '').toLowerCase();
  const major = /^(\d+)/.exec(tag)?.[1];
  const variant = `${/jre/.test(tag) ? '-jre' : /jdk/.test(tag) ? '-jdk' : ''}${/alpine/.test(tag) ? '-alpine' : ''}`;
  const untagged = tag.replace(/-?onbuild$/, '');
  const image = deprecation.replacement
    .replace('{major}', major ? `:${major}${variant}` : '')
    .replace('{variant}', '')
    .replace('{untagged}', untagged ? `:${untagged}` : '');
  return `\`${image}\``;
}

/** What is wrong with an image on `today`, or null when nothing known has ended. */
function judge(image: string, ref: ImageRef, today: string): Judgement | null {
  const lifecycle = lifecycleOf(ref, today);
  const deprecation = lifecycle?.deprecated;
  if (deprecation) {
    const own = lifecycle.own?.ended ? ` (${ended(lifecycle.own)})` : '';
    return {
      message: `\`${image}\` is deprecated: ${deprecation.why}${own}, so security fixes for what it contains never reach it; use ${replacementOf(deprecation, ref)}${deprecation.tags ? ' and write out the steps its ONBUILD triggers ran' : ''}.`,
      daysPast: deprecation.since ? daysAfter(deprecation.since, today) : null,
    };
  }
  const gone = discontinued(ref, today);
  if (gone?.product.discontinued && gone.ended) {
    const status = lifecycle?.own ?? gone;
    const named = lifecycle?.own ? ended(status) : `${status.product.name}, whose last release ended ${onDate(status.eol!)}`;
    return {
      message: `\`${image}\` runs ${named}: ${after(status)}, and ${status.product.name} has no later release; move to ${gone.product.discontinued.replacement}.`,
      daysPast: status.daysPast,
    };
  }
  if (!lifecycle) return null;
  const { own, base } = lifecycle;
  const move = moveTo(ref, lifecycle, today);
  const instead = move ?? 'move to a supported line';
  if (own?.ended) {
    const on = base?.ended ? `, on ${ended(base)}` : '';
    const verb = own.product.distribution ? 'is' : 'runs';
    return {
      message: `\`${image}\` ${verb} ${ended(own)}${on}: ${after(own)}, so vulnerabilities found since stay open in the image; ${instead}.`,
      daysPast: own.daysPast,
      fix: fixTarget(ref, lifecycle, today),
    };
  }
  if (base?.ended) {
    return {
      message: `\`${image}\` is built on ${ended(base)}: ${after(base)} for its system packages, so vulnerabilities found since stay open in the image; ${instead}.`,
      daysPast: base.daysPast,
    };
  }
  return null;
}

/**
 * The image a quick fix moves an ended line to, or why this file stops it. Products whose upgrade
 * always needs a person (databases, distributions, .NET) get no fix at all, and no note on every
 * hover saying so: their docs say why.
 */
function fixTarget(ref: ImageRef, lifecycle: ImageLifecycle, today: string): Judgement['fix'] {
  const own = lifecycle.own!;
  const product: Product = own.product;
  if (!product.upgrade.fix) return undefined;
  if (ref.digest) return { reason: 'the image is pinned by digest, and the digest of the new tag has to be looked up (`docker buildx imagetools inspect <image>`)' };
  if (lifecycle.base) return { reason: `the tag also names ${lineName(lifecycle.base)}, and which releases the new line is built on is not known here` };
  const tag = ref.tag ?? '';
  const rest = tag.slice(own.at.end);
  if (!/^(?:-[a-z]+)*$/i.test(rest)) return { reason: `the tag names a build or variant (\`${rest}\`) that the new line may not have` };
  const major = (cycle: string) => cycle.split('.')[0];
  const steps = successors(product, own.line, today).map((s) => s.line);
  const sameMajor = product.upgrade.sameMajor;
  const target = sameMajor
    ? product.lines
      .filter((l) => major(l.cycle) === major(own.line.cycle) && compareVersions(l.cycle, own.line.cycle) > 0 && !statusOf(product, l, today).ended)
      .sort((a, b) => compareVersions(a.cycle, b.cycle))[0]
    : steps[0];
  if (!target) return { reason: steps.length > 0 ? `the supported lines are a new major version of ${product.name}, which needs a person to port the code` : 'no supported line is known' };
  return { target: `${imageName(ref)}:${retag(tag, lifecycle, target, null)}` };
}

function severityOf(judgement: Judgement, shipped: boolean, errorAfterDays: number): Severity {
  if (!shipped) return 'info';
  return judgement.daysPast !== null && judgement.daysPast > errorAfterDays ? 'error' : 'warning';
}

function dataOf(image: string, judgement: Judgement, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const fix = judgement.fix;
  return { image, ...extra, ...(fix && 'target' in fix ? { target: fix.target } : fix ? { declined: fix.reason } : {}) };
}

function declined(reason: string): Fix {
  return { title: 'Move to a supported image', edits: [], safe: false, declined: { summary: 'not moved', reason } };
}

/** The stages built on `stage` (it and every later stage whose FROM chain reaches it). */
function builtOn(model: DockerfileModel, stage: Stage): Stage[] {
  return model.stages.filter((s) => stageAncestry(model, s).includes(stage));
}

/** The product's configuration directory a path lies in (`/etc/nginx` for `/etc/nginx/conf.d/`), or null. */
function configDir(product: Product, path: string): string | null {
  return product.configDirs?.find((dir) => path === dir || path.startsWith(`${dir}/`)) ?? null;
}

function configReason(what: string, product: Product): string {
  return `${what}, and a new version of ${product.name} may reject directives that configuration uses; move the tag by hand and test the configuration on the new image`;
}

/** Where a Compose service mounts files into the product's configuration directory, as written. */
function mountedConfig(compose: ComposeModel, node: Node, product: Product): string | null {
  for (const item of compose.items(compose.get(node, 'volumes')?.value)) {
    const target = isMap(compose.resolve(item)) ? compose.text(compose.get(item, 'target')?.value) : splitVolume(compose.text(item) ?? '')?.target;
    const dir = target && configDir(product, target);
    if (dir) return dir;
  }
  return null;
}

/** A line that pins the old version outside the edits (`ENV NODE_VERSION 16.20.2`, `/usr/local/lib/python3.7`). */
function pinnedElsewhere(model: DockerfileModel, version: string, product: Product, skip: Set<number>): number | null {
  const escaped = version.replace(/\./g, '\\.');
  const number = new RegExp(`(?<![\\d.])${escaped}(?![\\d])`);
  // A bare major (`16`) is a pin only next to the product's name; `3.7` is distinctive on its own.
  const names = new RegExp([product.name.split(/[\s(]/)[0], ...(product.images ?? []), ...(product.keywords ?? [])].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
  const lines = model.document.getText().split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (skip.has(i) || /^\s*#/.test(lines[i]) || !number.test(lines[i])) continue;
    if (version.includes('.') || names.test(lines[i])) return i;
  }
  return null;
}

function dockerfileFix(finding: Finding, model: DockerfileModel): Fix | undefined {
  const target = finding.data?.target;
  const reason = finding.data?.declined;
  if (typeof reason === 'string') return declined(reason);
  if (typeof target !== 'string') return undefined;
  const stage = model.stages.find((s) => s.base.range.start.line === finding.range.start.line && s.base.range.start.character === finding.range.start.character);
  if (!stage?.base.ref || stage.base.resolved !== finding.data?.image) return undefined;
  const ref = stage.base.ref;
  const lifecycle = lifecycleOf(ref, POSITIONS_ONLY);
  const targetRef = parseImageRef(target);
  const targetAt = targetRef?.tag ? lifecycleOf(targetRef, POSITIONS_ONLY)?.own?.at : undefined;
  if (!lifecycle?.own || !targetAt) return undefined;
  const title = `Move to \`${target}\``;
  const oldVersion = (ref.tag ?? '').slice(lifecycle.own.at.start, lifecycle.own.at.end);
  const newVersion = targetRef!.tag!.slice(targetAt.start, targetAt.end);
  for (const s of builtOn(model, stage)) {
    for (const instruction of s.instructions) {
      const line = instruction.range.start.line + 1;
      // The release below the image moves with its runtime line (node:16 is Debian 11, node:22 Debian 12).
      if (instruction.keyword === 'RUN' && packageCommandsOf(model, instruction).some((pc) => SYSTEM_MANAGERS.has(pc.manager) && isInstall(pc))) {
        return declined(`line ${line} installs distribution packages, and \`${target}\` is built on a newer release of its distribution, whose package names and versions can differ`);
      }
      const dest = instruction.keyword === 'COPY' || instruction.keyword === 'ADD' ? pathArguments(model, instruction)?.dest.value : null;
      const dir = dest && configDir(lifecycle.own.product, dest);
      if (dir) return declined(configReason(`line ${line} copies files into \`${dir}\``, lifecycle.own.product));
    }
  }
  const edits: TextEdit[] = [];
  const skip = new Set<number>();
  for (const s of model.stages) {
    if (s.base.ref && lifecycleOf(s.base.ref, POSITIONS_ONLY)?.own?.product === lifecycle.own.product) {
      for (let l = s.from.range.start.line; l <= s.from.range.end.line; l++) skip.add(l);
    }
  }
  if (!stage.base.text.includes('$')) {
    if (stage.base.text !== stage.base.resolved) return undefined;
    edits.push({ range: stage.base.range, newText: target });
  } else {
    // The version comes from a build arg's default: change the default, when nothing but FROM lines reads it.
    const candidates: { edit: TextEdit; name: string; line: number }[] = [];
    const globals = model.instructions.filter((i) => i.stage < 0 && i.keyword === 'ARG');
    for (const instruction of globals) {
      for (const property of propertiesOf(instruction)) {
        if (!referencedVariables(stage.base.text).includes(property.name) || !property.value || !property.valueRange) continue;
        const raw = model.document.getText(property.valueRange);
        if (raw !== property.value || /[$'"\\]/.test(raw)) continue;
        for (let at = raw.indexOf(oldVersion); at >= 0; at = raw.indexOf(oldVersion, at + 1)) {
          const value = raw.slice(0, at) + newVersion + raw.slice(at + oldVersion.length);
          const vars = new Map(model.globalArgs);
          vars.set(property.name, value);
          if (expandVariables(stage.base.text, vars) !== target) continue;
          const start = model.document.offsetAt(property.valueRange.start);
          candidates.push({
            edit: { range: { start: property.valueRange.start, end: model.document.positionAt(start + raw.length) }, newText: value },
            name: property.name,
            line: instruction.range.start.line,
          });
        }
      }
    }
    if (candidates.length !== 1) return declined('the image is built from build args in a way this fix cannot rewrite safely');
    const { edit, name, line } = candidates[0];
    const user = model.instructions.find((i) => i.keyword !== 'FROM' && i.stage >= 0 && (referencedVariables(i.args).includes(name) || (i.keyword === 'ARG' && propertiesOf(i).some((p) => p.name === name))));
    if (user) return declined(`the build arg \`${name}\` is also used on line ${user.range.start.line + 1}, where the new version may not fit`);
    edits.push(edit);
    skip.add(line);
  }
  const cycle = lifecycle.own.line.cycle;
  const pinned = pinnedElsewhere(model, cycle, lifecycle.own.product, skip);
  if (pinned !== null) return declined(`line ${pinned + 1} also names ${lifecycle.own.product.name} ${cycle}, so moving only the image would leave the file inconsistent`);
  return { title, edits, safe: false };
}

/**
 * An image whose upstream no longer ships security fixes carries every vulnerability found after
 * that day, and no rebuild picks a fix up: the base must move to a supported line. The dates are
 * data (data/endOfLife.ts, with its sources), judged against today.
 */
export default sharedRule({
  id: 'image-end-of-life',
  aliases: [],
  title: 'Use base images that still get security fixes',
  category: 'security',
  severity: 'warning',
  dockerfile: {
    check({ dockerfile, report, options, path, files }) {
      const final = shippedStage({ dockerfile, path, files });
      const shipped = new Set(final && !final.implicit ? stageAncestry(dockerfile, final).map((s) => s.index) : []);
      for (const stage of dockerfile.stages) {
        const { base } = stage;
        if (base.stageRef !== null || base.scratch || !base.ref || !base.resolved) continue;
        const judgement = judge(base.resolved, base.ref, options.today);
        if (!judgement) continue;
        report({
          range: base.range,
          message: judgement.message,
          severity: severityOf(judgement, shipped.has(stage.index), options.endOfLifeErrorAfterDays),
          data: dataOf(base.resolved, judgement),
        });
      }
    },
    fix: (finding, dockerfile) => dockerfileFix(finding, dockerfile),
  },
  compose: {
    check({ compose, report, options }) {
      for (const service of compose.services) {
        // With `build:`, `image:` names the image Compose builds and tags, not one it pulls.
        if (!service.node || compose.get(service.node, 'build')) continue;
        const entry = compose.get(service.node, 'image');
        const image = compose.text(entry?.value);
        const ref = image ? parseImageRef(image) : null;
        const judgement = ref && judge(image!, ref, options.today);
        if (!judgement || !entry?.value) continue;
        const product = ref && judgement.fix && 'target' in judgement.fix ? lifecycleOf(ref, options.today)?.own?.product : undefined;
        const dir = product && mountedConfig(compose, service.node, product);
        if (dir) judgement.fix = { reason: configReason(`the service mounts files into \`${dir}\``, product!) };
        report({
          range: compose.rangeOf(entry.value),
          message: judgement.message,
          severity: severityOf(judgement, true, options.endOfLifeErrorAfterDays),
          data: dataOf(image!, judgement, { service: service.name }),
        });
      }
    },
    fix(finding, compose) {
      const target = finding.data?.target;
      const reason = finding.data?.declined;
      if (typeof reason === 'string') return declined(reason);
      if (typeof target !== 'string') return undefined;
      const service = compose.services.find((s) => s.name === finding.data?.service);
      const value = service?.node ? compose.get(service.node, 'image')?.value : null;
      if (!value || compose.text(value) !== finding.data?.image) return undefined;
      const range = compose.rangeOf(value);
      const written = compose.document.getText(range);
      // Only a value written out (no `${VAR}` in it) is rewritten, keeping its quotes.
      const quote = /^["']/.test(written) ? written[0] : '';
      if (written !== `${quote}${String(finding.data.image)}${quote}`) return declined('the image is built from variables, which this fix does not rewrite');
      return { title: `Move to \`${target}\``, edits: [{ range, newText: `${quote}${target}${quote}` }], safe: false };
    },
  },
});
