import type { ImageRef } from './image';
import { DATA_AS_OF, deprecations, products, type Deprecation, type Line, type Product } from '../data/endOfLife';

/*
 * Where an image stands in its upstream's support life, from data/endOfLife.ts: the release line
 * its tag names (node:16-alpine is Node.js 16), the distribution release the tag names for an
 * image built on one (python:3.12-bullseye is built on Debian 11), and whether the repository is
 * deprecated altogether (openjdk). Only Docker Official Images and .NET's images on
 * mcr.microsoft.com are read: their tags follow known schemes. Read by the image-end-of-life rule
 * and the FROM / image: hovers.
 */

/** A release line of a product and where it stands on a day. */
export interface LineStatus {
  product: Product;
  line: Line;
  /** The end date as written in the data (`2023-09-11`, `2026-10`), or null when none is published. */
  eol: string | null;
  /** Past its end date on the day asked about. */
  ended: boolean;
  /** Days from the end date to the day asked about (negative before it); null without a date. */
  daysPast: number | null;
  /** The tag names this line through a version shorter than the line's (`python:2`, `postgres:9`). */
  floating: boolean;
}

/** The parts of a tag that name a version: `16` in `16-alpine`, `bookworm` in `bookworm-slim`. */
interface VersionInTag {
  /** Offsets in the tag of the text that names the line. */
  start: number;
  end: number;
  /** Named by release codename (`buster`), not by number. */
  byCodename: boolean;
}

export interface ImageLifecycle {
  /** The image's own line (Node.js 16 for node:16-alpine). */
  own: (LineStatus & { at: VersionInTag }) | null;
  /** The distribution release the tag names for an image of something else (Debian 11 for python:3.12-bullseye). */
  base: (LineStatus & { at: VersionInTag }) | null;
  /** The repository (or this variant of it) is no longer maintained. */
  deprecated: Deprecation | null;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** Docker Official Images are also published per architecture (`arm64v8/node`, `amd64/buildpack-deps`). */
const ARCH_NAMESPACE = /^(?:amd64|arm32v5|arm32v6|arm32v7|arm64v8|i386|mips64le|ppc64le|riscv64|s390x|windows-amd64)\//;

/** The Docker Hub repository of a reference (`node`, `microsoft/dotnet`), or null for another registry. */
function hubRepository(ref: ImageRef): string | null {
  if (ref.registry !== null && !DOCKER_HUB.has(ref.registry.toLowerCase())) return null;
  return ref.repository.toLowerCase().replace(/^library\//, '').replace(ARCH_NAMESPACE, '');
}

/** The name of a Docker Official Image (`node` for `docker.io/library/node`), or null. */
function officialName(ref: ImageRef): string | null {
  const repository = hubRepository(ref);
  return repository && !repository.includes('/') ? repository : null;
}

function productOf(ref: ImageRef): Product | null {
  const official = officialName(ref);
  if (official) return products.find((p) => p.images?.includes(official)) ?? null;
  const full = `${(ref.registry ?? 'docker.io').toLowerCase()}/${ref.repository.toLowerCase()}`;
  return products.find((p) => p.repositories?.test(full)) ?? null;
}

/** Images whose tags are read for a distribution release: the official ones and the product repositories. */
function readsTags(ref: ImageRef): boolean {
  return officialName(ref) !== null || productOf(ref) !== null;
}

const numbers = (version: string) => version.split('.').map((n) => Number(n));

/** Orders two dotted versions numerically (`3.9` before `3.10`). */
export function compareVersions(a: string, b: string): number {
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function startsWith(version: number[], prefix: number[]): boolean {
  return prefix.length <= version.length && prefix.every((n, i) => n === version[i]);
}

/**
 * The line a version names: the longest line that is a prefix of it (`16.20.2` is 16, `9.6.24` is
 * 9.6). A version shorter than its lines (`python:3`, `postgres:9`) follows the newest of them, so
 * it is that line only once a later line outside the prefix exists (`python:2` has been 2.7 for
 * good; `python:3` follows releases the data may not know yet): otherwise null.
 */
function lineOfVersion(product: Product, version: string): { line: Line; floating: boolean } | null {
  const parts = numbers(version);
  let best: Line | null = null;
  for (const line of product.lines) {
    const cycle = numbers(line.cycle);
    if (startsWith(parts, cycle) && (!best || cycle.length > numbers(best.cycle).length)) best = line;
  }
  if (best) return { line: best, floating: false };
  const under = product.lines.filter((l) => startsWith(numbers(l.cycle), parts));
  if (under.length === 0) return null;
  const newest = under.reduce((a, b) => (compareVersions(a.cycle, b.cycle) >= 0 ? a : b));
  const later = product.lines.some((l) => compareVersions(l.cycle, newest.cycle) > 0 && !startsWith(numbers(l.cycle), parts));
  return later ? { line: newest, floating: true } : null;
}

const VERSION_AT_START = /^v?(\d+(?:\.\d+)*)/;

/** The image's own line from its tag: a version at the start (after `v` or the product's prefix), or a release codename. */
function ownLine(product: Product, tag: string): { line: Line; floating: boolean; at: VersionInTag } | null {
  const lower = tag.toLowerCase();
  const offset = product.tagPrefix && lower.startsWith(product.tagPrefix) ? product.tagPrefix.length : 0;
  const m = VERSION_AT_START.exec(lower.slice(offset));
  if (m) {
    const found = lineOfVersion(product, m[1]);
    const start = offset + m[0].length - m[1].length;
    return found && { ...found, at: { start, end: start + m[1].length, byCodename: false } };
  }
  // A codename names a release only where it stands for the version (`buster-slim`, `iron-alpine`, `lts-iron`).
  let index = 0;
  for (const word of lower.split('-')) {
    const line = product.lines.find((l) => l.codename === word);
    if (line) return { line, floating: false, at: { start: index, end: index + word.length, byCodename: true } };
    index += word.length + 1;
  }
  return null;
}

const distributions = products.filter((p) => p.distribution);

/** The distribution release a tag names after the image's own version (`bullseye`, `alpine3.18`, `focal`). */
function baseLine(tag: string, own: Product | null, from: number): { product: Product; line: Line; at: VersionInTag } | null {
  const lower = tag.toLowerCase();
  let index = 0;
  for (const word of lower.split(/[-_]/)) {
    const start = index;
    index += word.length + 1;
    if (start < from) continue;
    for (const distribution of distributions) {
      if (distribution === own) continue;
      if (distribution.distribution === 'alpine') {
        const m = /^alpine(\d+\.\d+)$/.exec(word);
        const found = m && lineOfVersion(distribution, m[1]);
        if (found && !found.floating) return { product: distribution, line: found.line, at: { start: start + 'alpine'.length, end: start + word.length, byCodename: false } };
      } else {
        const line = distribution.lines.find((l) => l.codename === word);
        if (line) return { product: distribution, line, at: { start, end: start + word.length, byCodename: true } };
      }
    }
  }
  return null;
}

/** The last day a date covers: `2026-10` is the whole of October. */
function lastDay(date: string): string {
  if (/^\d{4}-\d{2}$/.test(date)) {
    const [y, m] = date.split('-').map(Number);
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  }
  return date;
}

/** Days from the end of `date` (`YYYY-MM-DD` or `YYYY-MM`) to `today`: negative before it. */
export function daysAfter(date: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${lastDay(date)}T00:00:00Z`)) / 86_400_000);
}

/** Where a line stands on `today` (`YYYY-MM-DD`). */
export function statusOf(product: Product, line: Line, today: string, floating = false): LineStatus {
  if (!line.eol) return { product, line, eol: null, ended: false, daysPast: null, floating };
  const daysPast = daysAfter(line.eol, today);
  return { product, line, eol: line.eol, ended: daysPast > 0, daysPast, floating };
}

function deprecationOf(ref: ImageRef): Deprecation | null {
  const repository = hubRepository(ref);
  if (!repository) return null;
  const tag = ref.tag ?? 'latest';
  return deprecations.find((d) => d.image === repository && (!d.tags || d.tags.test(tag)) && !d.except?.test(tag)) ?? null;
}

/** Where an image stands, or null when nothing is known about it. */
export function lifecycleOf(ref: ImageRef, today: string): ImageLifecycle | null {
  const deprecated = deprecationOf(ref);
  const product = productOf(ref);
  const tag = ref.tag ?? '';
  const found = product && tag ? ownLine(product, tag) : null;
  const own = product && found ? { ...statusOf(product, found.line, today, found.floating), at: found.at } : null;
  const foundBase = tag && readsTags(ref) ? baseLine(tag, product, own ? own.at.end : 0) : null;
  const base = foundBase ? { ...statusOf(foundBase.product, foundBase.line, today), at: foundBase.at } : null;
  if (!deprecated && !own && !base) return null;
  return { own, base, deprecated };
}

/** A discontinued product (CentOS Linux): every tag is reported, on its last line when the tag names none. */
export function discontinued(ref: ImageRef, today: string): LineStatus | null {
  const product = productOf(ref);
  if (!product?.discontinued) return null;
  const last = product.lines.reduce((a, b) => ((a.eol ?? '') >= (b.eol ?? '') ? a : b));
  return statusOf(product, last, today);
}

/** A long-term-support line on `today` (Node.js lines become one some months after their release). */
export function isLts(line: Line, today: string): boolean {
  return line.lts === true || (typeof line.lts === 'string' && line.lts <= today);
}

/** A line anyone can move to on `today`: not past its end, and long-term support where the product has it. */
function eligible(product: Product, line: Line, today: string): boolean {
  const supported = !statusOf(product, line, today).ended;
  return supported && (!product.lines.some((l) => l.lts) || isLts(line, today));
}

export interface Successor {
  line: Line;
  /** Why this one: the smallest step, or the newest. */
  role: 'oldest' | 'newest';
}

/**
 * Where to move from an ended line: the oldest line still supported after it (the smallest step)
 * and the newest one (the current LTS where the product has LTS lines), or one line when they are
 * the same. Lines with no published end count as supported.
 */
export function successors(product: Product, line: Line, today: string): Successor[] {
  const candidates = product.lines.filter((l) => eligible(product, l, today)).sort((a, b) => compareVersions(a.cycle, b.cycle));
  const newer = candidates.filter((l) => compareVersions(l.cycle, line.cycle) > 0);
  if (newer.length === 0) return [];
  const oldest = newer[0];
  const newest = newer[newer.length - 1];
  return oldest === newest ? [{ line: oldest, role: 'oldest' }] : [{ line: oldest, role: 'oldest' }, { line: newest, role: 'newest' }];
}

/** The product has LTS lines, so its newest suggestion is "the current LTS". */
export function hasLts(product: Product): boolean {
  return product.lines.some((l) => l.lts);
}

/** How a line is named: `Node.js 16`, `Debian 11 (bullseye)`. */
export function lineName(status: Pick<LineStatus, 'product' | 'line'>): string {
  const { product, line } = status;
  const codename = line.codename && product.distribution ? ` (${line.codename})` : '';
  return `${product.name} ${line.cycle}${codename}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `on 2023-09-11`, or `in October 2026` for a date known to the month. */
export function onDate(date: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(date);
  return m ? `in ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : `on ${date}`;
}

/** The name of an image without its tag or digest, as written (`docker.io/library/node`). */
export function imageName(ref: ImageRef): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
}

/** The release codename that replaces `line`'s in a tag for the target line of a distribution. */
function versionText(product: Product, line: Line, byCodename: boolean): string {
  return byCodename && line.codename ? line.codename : line.cycle;
}

/**
 * A tag with its own version and its distribution release moved to other lines, keeping the rest
 * (`16-alpine` → `22-alpine`, `3.7-slim-buster` → `3.11-slim-bookworm`). A build suffix glued to
 * the version (`8u302-b08`, `25.0.3_9`) goes with it.
 */
export function retag(tag: string, lifecycle: ImageLifecycle, own: Line | null, base: Line | null): string {
  const edits: { start: number; end: number; text: string }[] = [];
  if (own && lifecycle.own) {
    let end = lifecycle.own.at.end;
    const glued = /^(?:u\d+(?:-b\d+)?|_\d+)/.exec(tag.slice(end));
    if (glued && !lifecycle.own.at.byCodename) end += glued[0].length;
    edits.push({ start: lifecycle.own.at.start, end, text: versionText(lifecycle.own.product, own, lifecycle.own.at.byCodename) });
  }
  if (base && lifecycle.base) edits.push({ start: lifecycle.base.at.start, end: lifecycle.base.at.end, text: versionText(lifecycle.base.product, base, lifecycle.base.at.byCodename) });
  let out = tag;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

export { DATA_AS_OF };
