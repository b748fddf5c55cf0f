/**
 * End-of-life dates of the release lines of well-known images, as data: what image-end-of-life
 * judges and what the FROM / `image:` hover shows. Read by text/lifecycle.ts only.
 *
 * Refresh: `node scripts/end-of-life.mjs` (after `npm run build`) compares every line below with
 * endoflife.date's API and prints what changed; update the lines, their sources and `DATA_AS_OF`,
 * and run the tests (test/unit/rules/image-end-of-life.test.ts pins a clock, so they keep passing).
 *
 * Rules for the data:
 * - only dates that were checked against a source go in: the product's `source` (the project's
 *   own policy or endoflife.date, which cites it), or the line's own `source`;
 * - `eol: null` means no date has been published (the line is supported as far as is known): it
 *   is never reported, but may be suggested;
 * - `YYYY-MM` (a date known to the month only, as Python publishes its future ones) counts as the
 *   last day of that month;
 * - a line that is not here is unknown, and never reported.
 */

/** The day the data below was last checked against its sources. */
export const DATA_AS_OF = '2026-12-07';

export interface Line {
  /** The line as image tags name it: `16`, `3.12`, `22.04`, `8.0`. */
  cycle: string;
  /** The last day of (free) security fixes: `YYYY-MM-DD`, `YYYY-MM`, or null when none is published. */
  eol: string | null;
  /** A long-term-support line; a date when it became one later than its release (Node.js). */
  lts?: true | string;
  /** The release codename used in tags (`bookworm`, `jammy`, `iron`), lower-case. */
  codename?: string;
  /** Where the date comes from, when not from the product's source. */
  source?: string;
}

/** What an upgrade between lines takes, which decides whether a quick fix is offered. */
export type Upgrade =
  /** A new tag is enough for most images (a runtime, a web server): a quick fix, within the same major version when `sameMajor`. */
  | { fix: true; sameMajor?: boolean }
  /** A person must do it; `reason` says why (shown when the fix is declined). */
  | { fix: false; reason: string };

export interface Product {
  /** The endoflife.date product id, which scripts/end-of-life.mjs reads. */
  id: string;
  /** As people write it: `Node.js`, `Debian`. */
  name: string;
  /** Docker Official Images names (Docker Hub `library/…`). */
  images?: string[];
  /** Other repositories, as `registry/path` patterns (`.NET` on mcr.microsoft.com). */
  repositories?: RegExp;
  /** What the date is the end of, in the message: `end of life` unless said. */
  ends?: string;
  /** What stops after that date, in the message. */
  after?: string;
  /** A distribution whose release names tags of other images (`python:3.12-bookworm`). */
  distribution?: 'debian' | 'ubuntu' | 'alpine';
  /** Every line has ended and none will follow (CentOS Linux): any tag of it is reported. */
  discontinued?: { replacement: string };
  /** Words besides its name that, next to a bare major version (`17`), pin the product in a Dockerfile. */
  keywords?: string[];
  /** Where the image reads its configuration: a configuration put there may not suit a new version. */
  configDirs?: string[];
  /** A word that prefixes the version in some tags (`centos7`). */
  tagPrefix?: string;
  upgrade: Upgrade;
  source: string;
  /** Newest first is not required: lines are sorted by version where needed. */
  lines: Line[];
}

const DATABASE = 'a new major version changes the on-disk format, so the data must be upgraded (dump and restore, or the upgrade tool) by a person';
const DISTRIBUTION = 'a new release of the distribution renames and replaces packages, so the image needs a person to rebuild and test it';

export const products: Product[] = [
  {
    id: 'nodejs',
    name: 'Node.js',
    images: ['node'],
    keywords: ['npm', 'yarn', 'pnpm'],
    upgrade: { fix: true },
    source: 'https://github.com/nodejs/Release/blob/main/schedule.json',
    lines: [
      { cycle: '0.10', eol: '2016-10-31' }, { cycle: '0.12', eol: '2016-12-31' },
      { cycle: '4', eol: '2018-04-30', lts: true, codename: 'argon' }, { cycle: '5', eol: '2016-06-30' },
      { cycle: '6', eol: '2019-04-30', lts: true, codename: 'boron' }, { cycle: '7', eol: '2017-06-30' },
      { cycle: '8', eol: '2019-12-31', lts: true, codename: 'carbon' }, { cycle: '9', eol: '2018-06-30' },
      { cycle: '10', eol: '2021-04-30', lts: true, codename: 'dubnium' }, { cycle: '11', eol: '2019-06-01' },
      { cycle: '12', eol: '2022-04-30', lts: true, codename: 'erbium' }, { cycle: '13', eol: '2020-06-01' },
      { cycle: '14', eol: '2023-04-30', lts: true, codename: 'fermium' }, { cycle: '15', eol: '2021-06-01' },
      { cycle: '16', eol: '2023-09-11', lts: true, codename: 'gallium' }, { cycle: '17', eol: '2022-06-01' },
      { cycle: '18', eol: '2025-04-30', lts: true, codename: 'hydrogen' }, { cycle: '19', eol: '2023-06-01' },
      { cycle: '20', eol: '2026-04-30', lts: true, codename: 'iron' }, { cycle: '21', eol: '2024-06-01' },
      { cycle: '22', eol: '2027-04-30', lts: true, codename: 'jod' }, { cycle: '23', eol: '2025-06-01' },
      { cycle: '24', eol: '2028-04-30', lts: true, codename: 'krypton' }, { cycle: '25', eol: '2026-06-01' },
      { cycle: '26', eol: '2029-04-30', lts: '2026-10-28' },
    ],
  },
  {
    id: 'python',
    name: 'Python',
    images: ['python'],
    upgrade: { fix: true, sameMajor: true },
    source: 'https://devguide.python.org/versions/',
    lines: [
      { cycle: '2.6', eol: '2013-10-29' }, { cycle: '2.7', eol: '2020-01-01' },
      { cycle: '3.0', eol: '2009-06-27' }, { cycle: '3.1', eol: '2012-04-09' }, { cycle: '3.2', eol: '2016-02-20' },
      { cycle: '3.3', eol: '2017-09-29' }, { cycle: '3.4', eol: '2019-03-18' }, { cycle: '3.5', eol: '2020-09-30' },
      { cycle: '3.6', eol: '2021-12-23' }, { cycle: '3.7', eol: '2023-06-27' }, { cycle: '3.8', eol: '2024-10-07' },
      { cycle: '3.9', eol: '2025-10-31', source: 'python.org\'s release-cycle data (python/pythondotorg: 3.9 end-of-life 2025-10-31)' },
      { cycle: '3.10', eol: '2026-10' }, { cycle: '3.11', eol: '2027-10' }, { cycle: '3.12', eol: '2028-10' },
      { cycle: '3.13', eol: '2029-10' }, { cycle: '3.14', eol: '2030-10' }, { cycle: '3.15', eol: '2031-10' },
    ],
  },
  {
    id: 'ruby',
    name: 'Ruby',
    images: ['ruby'],
    upgrade: { fix: true, sameMajor: true },
    source: 'https://www.ruby-lang.org/en/downloads/branches/ (via https://endoflife.date/ruby)',
    lines: [
      { cycle: '1.9', eol: '2015-02-23' }, { cycle: '2.0', eol: '2016-02-24' }, { cycle: '2.1', eol: '2017-03-31' },
      { cycle: '2.2', eol: '2018-03-31' }, { cycle: '2.3', eol: '2019-03-31' }, { cycle: '2.4', eol: '2020-03-31' },
      { cycle: '2.5', eol: '2021-03-31' }, { cycle: '2.6', eol: '2022-03-31' }, { cycle: '2.7', eol: '2023-03-31' },
      { cycle: '3.0', eol: '2024-04-23' }, { cycle: '3.1', eol: '2025-03-31' }, { cycle: '3.2', eol: '2026-03-31' },
      { cycle: '3.3', eol: '2027-03-31' }, { cycle: '3.4', eol: '2028-03-31' },
    ],
  },
  {
    id: 'php',
    name: 'PHP',
    images: ['php'],
    upgrade: { fix: true, sameMajor: true },
    source: 'https://www.php.net/supported-versions.php (via https://endoflife.date/api/php.json)',
    lines: [
      { cycle: '5.3', eol: '2014-08-14' }, { cycle: '5.4', eol: '2015-09-14' }, { cycle: '5.5', eol: '2016-07-21' },
      { cycle: '5.6', eol: '2018-12-31' }, { cycle: '7.0', eol: '2019-01-10' }, { cycle: '7.1', eol: '2019-12-01' },
      { cycle: '7.2', eol: '2020-11-30' }, { cycle: '7.3', eol: '2021-12-06' }, { cycle: '7.4', eol: '2022-11-28' },
      { cycle: '8.0', eol: '2023-11-26' }, { cycle: '8.1', eol: '2025-12-31' }, { cycle: '8.2', eol: '2026-12-31' },
      { cycle: '8.3', eol: '2027-12-31' }, { cycle: '8.4', eol: '2028-12-31' }, { cycle: '8.5', eol: '2029-12-31' },
    ],
  },
  {
    id: 'go',
    name: 'Go',
    images: ['golang'],
    upgrade: { fix: true },
    source: 'https://go.dev/doc/devel/release#policy (each release is supported until two newer ones are out; dates via https://endoflife.date/api/go.json)',
    lines: [
      // 1.8 and 1.9 ended with the releases of 1.10 and 1.11 (the policy above).
      { cycle: '1.8', eol: '2018-02-16' }, { cycle: '1.9', eol: '2018-08-24' },
      { cycle: '1.10', eol: '2019-02-25' }, { cycle: '1.11', eol: '2019-09-03' }, { cycle: '1.12', eol: '2020-02-25' },
      { cycle: '1.13', eol: '2020-08-11' }, { cycle: '1.14', eol: '2021-02-16' }, { cycle: '1.15', eol: '2021-08-16' },
      { cycle: '1.16', eol: '2022-03-15' }, { cycle: '1.17', eol: '2022-08-02' }, { cycle: '1.18', eol: '2023-02-01' },
      { cycle: '1.19', eol: '2023-09-06' }, { cycle: '1.20', eol: '2024-02-06' }, { cycle: '1.21', eol: '2024-08-13' },
      { cycle: '1.22', eol: '2025-02-11' }, { cycle: '1.23', eol: '2025-08-12' }, { cycle: '1.24', eol: '2026-02-11' },
      { cycle: '1.25', eol: '2026-08-19', source: 'go1.27.0 was released on 2026-08-19 (https://pkg.go.dev/std?tab=versions)' },
      { cycle: '1.26', eol: null }, { cycle: '1.27', eol: null },
    ],
  },
  {
    id: 'eclipse-temurin',
    name: 'Eclipse Temurin (Java)',
    images: ['eclipse-temurin'],
    keywords: ['java', 'jdk', 'jre', 'temurin'],
    upgrade: { fix: true },
    source: 'https://adoptium.net/support/ (via https://endoflife.date/eclipse-temurin)',
    lines: [
      // Java 8's end is left open: Temurin still published 8u502 in July 2026, past the date listed earlier.
      { cycle: '8', eol: null, lts: true }, { cycle: '11', eol: '2027-10-31', lts: true },
      { cycle: '16', eol: '2021-09-30' }, { cycle: '17', eol: '2027-10-31', lts: true },
      { cycle: '18', eol: '2022-09-30' }, { cycle: '19', eol: '2023-03-31' }, { cycle: '20', eol: '2023-09-19' },
      { cycle: '21', eol: '2029-12-31', lts: true }, { cycle: '22', eol: '2024-09-17' }, { cycle: '23', eol: '2025-03-18' },
      { cycle: '24', eol: '2025-09', source: 'Adoptium: "Short Term Support until September 2025" (https://ports.macports.org/port/openjdk24-temurin/)' },
      { cycle: '25', eol: null, lts: true },
    ],
  },
  {
    id: 'dotnet',
    name: '.NET',
    repositories: /^mcr\.microsoft\.com\/dotnet\/(?:core\/)?(?:sdk|aspnet|runtime|runtime-deps)$/,
    upgrade: { fix: false, reason: 'the application targets one .NET version (its TargetFramework), so it must be retargeted and rebuilt, not only moved to another image' },
    source: 'https://github.com/dotnet/core/blob/main/releases.md and https://devblogs.microsoft.com/dotnet/dotnet-sts-releases-supported-for-24-months/',
    lines: [
      { cycle: '2.0', eol: '2018-10-01' }, { cycle: '2.1', eol: '2021-08-21', lts: true }, { cycle: '2.2', eol: '2019-12-23' },
      { cycle: '3.0', eol: '2020-03-03' }, { cycle: '3.1', eol: '2022-12-13', lts: true }, { cycle: '5.0', eol: '2022-05-10' },
      { cycle: '6.0', eol: '2024-11-12', lts: true }, { cycle: '7.0', eol: '2024-05-14' },
      { cycle: '8.0', eol: '2026-11-10', lts: true }, { cycle: '9.0', eol: '2026-11-10' },
      { cycle: '10.0', eol: '2028-11-14', lts: true }, { cycle: '11.0', eol: '2028-11-14' },
    ],
  },
  {
    id: 'debian',
    name: 'Debian',
    images: ['debian'],
    distribution: 'debian',
    ends: 'the end of its long-term support',
    upgrade: { fix: false, reason: DISTRIBUTION },
    source: 'https://wiki.debian.org/LTS (dates via https://endoflife.date/debian and Debian\'s LTS announcements)',
    lines: [
      { cycle: '6', eol: '2016-02-29', codename: 'squeeze' }, { cycle: '7', eol: '2018-05-31', codename: 'wheezy' },
      { cycle: '8', eol: '2020-06-30', codename: 'jessie' }, { cycle: '9', eol: '2022-06-30', codename: 'stretch' },
      { cycle: '10', eol: '2024-06-30', codename: 'buster' }, { cycle: '11', eol: '2026-08-31', codename: 'bullseye', source: 'Debian\'s announcement of 2024-08-14 (LTS until 2026-08-31), https://dvd.gr/debian-11-bullseye-transitions-into-the-long-term-support-stage/' },
      { cycle: '12', eol: '2028-06-30', codename: 'bookworm' }, { cycle: '13', eol: null, codename: 'trixie' },
    ],
  },
  {
    id: 'ubuntu',
    name: 'Ubuntu',
    images: ['ubuntu'],
    distribution: 'ubuntu',
    ends: 'the end of its standard support',
    after: 'no security updates without an Ubuntu Pro subscription since',
    upgrade: { fix: false, reason: DISTRIBUTION },
    source: 'https://ubuntu.com/about/release-cycle (via https://endoflife.date/ubuntu)',
    lines: [
      { cycle: '12.04', eol: '2017-04-28', lts: true, codename: 'precise' }, { cycle: '14.04', eol: '2019-04-02', lts: true, codename: 'trusty' },
      { cycle: '16.04', eol: '2021-04-02', lts: true, codename: 'xenial' }, { cycle: '16.10', eol: '2017-07-20', codename: 'yakkety' },
      { cycle: '17.04', eol: '2018-01-13', codename: 'zesty' }, { cycle: '17.10', eol: '2018-07-19', codename: 'artful' },
      { cycle: '18.04', eol: '2023-05-31', lts: true, codename: 'bionic' }, { cycle: '18.10', eol: '2019-07-18', codename: 'cosmic' },
      { cycle: '19.04', eol: '2020-01-23', codename: 'disco' }, { cycle: '19.10', eol: '2020-07-06', codename: 'eoan' },
      { cycle: '20.04', eol: '2025-04-02', lts: true, codename: 'focal' }, { cycle: '20.10', eol: '2021-07-22', codename: 'groovy' },
      { cycle: '21.04', eol: '2022-01-20', codename: 'hirsute' }, { cycle: '21.10', eol: '2022-07-31', codename: 'impish' },
      { cycle: '22.04', eol: '2027-04-01', lts: true, codename: 'jammy' }, { cycle: '22.10', eol: '2023-07-20', codename: 'kinetic' },
      { cycle: '23.04', eol: '2024-01-20', codename: 'lunar' }, { cycle: '23.10', eol: '2024-07-11', codename: 'mantic' },
      { cycle: '24.04', eol: '2029-04-25', lts: true, codename: 'noble' }, { cycle: '24.10', eol: '2025-07-11', codename: 'oracular' },
    ],
  },
  {
    id: 'alpine-linux',
    name: 'Alpine Linux',
    images: ['alpine'],
    distribution: 'alpine',
    upgrade: { fix: false, reason: DISTRIBUTION },
    source: 'https://alpinelinux.org/releases/ (via https://endoflife.date/alpine-linux)',
    lines: [
      { cycle: '3.0', eol: '2016-05-01' }, { cycle: '3.1', eol: '2016-11-01' }, { cycle: '3.2', eol: '2017-05-01' },
      { cycle: '3.3', eol: '2017-11-01' }, { cycle: '3.4', eol: '2018-05-01' }, { cycle: '3.5', eol: '2018-11-01' },
      { cycle: '3.6', eol: '2019-05-01' }, { cycle: '3.7', eol: '2019-11-01' }, { cycle: '3.8', eol: '2020-05-01' },
      { cycle: '3.9', eol: '2020-11-01' }, { cycle: '3.10', eol: '2021-05-01' }, { cycle: '3.11', eol: '2021-11-01' },
      { cycle: '3.12', eol: '2022-05-01' }, { cycle: '3.13', eol: '2022-11-01' }, { cycle: '3.14', eol: '2023-05-01' },
      { cycle: '3.15', eol: '2023-11-01' }, { cycle: '3.16', eol: '2024-05-23' }, { cycle: '3.17', eol: '2024-11-22' },
      { cycle: '3.18', eol: '2025-05-09' }, { cycle: '3.19', eol: '2025-11-01' }, { cycle: '3.20', eol: '2026-04-01' },
      { cycle: '3.21', eol: '2026-11-01' }, { cycle: '3.22', eol: '2027-05-01' },
      { cycle: '3.23', eol: '2027-11-01', source: 'https://wiki.linux-server-admin.com/distributions/alpine-linux/history ("v3.23 … main+community until 2027-11-01")' },
    ],
  },
  {
    id: 'centos',
    name: 'CentOS Linux',
    images: ['centos'],
    tagPrefix: 'centos',
    discontinued: { replacement: '`rockylinux` or `almalinux` (the same RHEL rebuild, maintained)' },
    upgrade: { fix: false, reason: 'CentOS Linux has no later release: moving to Rocky Linux or AlmaLinux changes the distribution' },
    source: 'https://endoflife.date/centos (CentOS Project announcements)',
    lines: [
      { cycle: '5', eol: '2017-03-31' }, { cycle: '6', eol: '2020-11-30' }, { cycle: '7', eol: '2024-06-30' }, { cycle: '8', eol: '2021-12-31' },
    ],
  },
  {
    id: 'fedora',
    name: 'Fedora Linux',
    images: ['fedora'],
    upgrade: { fix: false, reason: DISTRIBUTION },
    source: 'https://docs.fedoraproject.org/en-US/releases/eol/ (via https://endoflife.date/fedora)',
    lines: [
      { cycle: '28', eol: '2019-05-28' }, { cycle: '29', eol: '2019-11-26' }, { cycle: '30', eol: '2020-05-26' },
      { cycle: '31', eol: '2020-11-24' }, { cycle: '32', eol: '2021-05-25' }, { cycle: '33', eol: '2021-11-30' },
      { cycle: '34', eol: '2022-06-07' }, { cycle: '35', eol: '2022-12-13' }, { cycle: '36', eol: '2023-05-16' },
      { cycle: '37', eol: '2023-12-05' }, { cycle: '38', eol: '2024-05-21' }, { cycle: '39', eol: '2024-11-26' },
      { cycle: '40', eol: '2025-05-13', source: 'https://gitlab.com/nsnam/ns-3-dev/-/merge_requests/2581 ("Fedora 40 was EOL since 2025-05-13")' },
      { cycle: '41', eol: '2025-11-19' },
      { cycle: '42', eol: '2026-05-13', source: 'https://gitlab.com/groups/cki-project/-/epics/223 (from https://fedorapeople.org/groups/schedule/f-44/f-44-key-tasks.html: "Fedora Linux 42 EOL 2026-05-13")' },
      { cycle: '43', eol: null },
    ],
  },
  {
    id: 'postgresql',
    name: 'PostgreSQL',
    images: ['postgres'],
    upgrade: { fix: false, reason: DATABASE },
    source: 'https://www.postgresql.org/support/versioning/',
    lines: [
      { cycle: '8.0', eol: '2010-10-01' }, { cycle: '8.1', eol: '2010-11-08' }, { cycle: '8.2', eol: '2011-12-05' },
      { cycle: '8.3', eol: '2013-02-07' }, { cycle: '8.4', eol: '2014-07-24' }, { cycle: '9.0', eol: '2015-10-08' },
      { cycle: '9.1', eol: '2016-10-27' }, { cycle: '9.2', eol: '2017-11-09' }, { cycle: '9.3', eol: '2018-11-08' },
      { cycle: '9.4', eol: '2020-02-13' }, { cycle: '9.5', eol: '2021-02-11' }, { cycle: '9.6', eol: '2021-11-11' },
      { cycle: '10', eol: '2022-11-10' }, { cycle: '11', eol: '2023-11-09' }, { cycle: '12', eol: '2024-11-21' },
      { cycle: '13', eol: '2025-11-13' }, { cycle: '14', eol: '2026-11-12' }, { cycle: '15', eol: '2027-11-11' },
      { cycle: '16', eol: '2028-11-09' }, { cycle: '17', eol: '2029-11-08' }, { cycle: '18', eol: null },
    ],
  },
  {
    id: 'mysql',
    name: 'MySQL',
    images: ['mysql'],
    upgrade: { fix: false, reason: DATABASE },
    source: 'https://www.oracle.com/us/support/library/lifetime-support-technology-069183.pdf (via https://endoflife.date/api/mysql.json)',
    lines: [
      { cycle: '5.5', eol: '2018-12-31' }, { cycle: '5.6', eol: '2021-02-28' }, { cycle: '5.7', eol: '2023-10-31' },
      { cycle: '8.0', eol: '2026-04-30' }, { cycle: '8.1', eol: '2023-10-25' }, { cycle: '8.2', eol: '2023-12-14' },
      { cycle: '8.3', eol: '2024-04-10' }, { cycle: '8.4', eol: '2032-04-30', lts: true },
      { cycle: '9.0', eol: '2024-10-15' }, { cycle: '9.1', eol: '2025-01-21' }, { cycle: '9.2', eol: '2025-04-15' },
      { cycle: '9.3', eol: '2025-07-22' }, { cycle: '9.4', eol: '2025-10-21' }, { cycle: '9.5', eol: '2026-01-20' },
      { cycle: '9.6', eol: null },
    ],
  },
  {
    id: 'mariadb',
    name: 'MariaDB',
    images: ['mariadb'],
    upgrade: { fix: false, reason: DATABASE },
    source: 'https://mariadb.org/about/#maintenance-policy (via https://endoflife.date/api/mariadb.json)',
    lines: [
      { cycle: '10.2', eol: '2022-05-23' }, { cycle: '10.3', eol: '2023-05-25' }, { cycle: '10.4', eol: '2024-06-18', lts: true },
      { cycle: '10.5', eol: '2025-06-24', lts: true }, { cycle: '10.6', eol: '2026-07-06', lts: true }, { cycle: '10.7', eol: '2023-02-09' },
      { cycle: '10.8', eol: '2023-05-20' }, { cycle: '10.9', eol: '2023-08-22' }, { cycle: '10.10', eol: '2023-11-17' },
      { cycle: '10.11', eol: '2028-02-16', lts: true }, { cycle: '11.0', eol: '2024-06-06' }, { cycle: '11.1', eol: '2024-08-21' },
      { cycle: '11.2', eol: '2024-11-21' }, { cycle: '11.3', eol: '2024-05-29' }, { cycle: '11.4', eol: '2029-05-29', lts: true },
      { cycle: '11.5', eol: '2024-11-21' }, { cycle: '11.6', eol: '2025-02-13' }, { cycle: '11.7', eol: '2025-05-12' },
      { cycle: '11.8', eol: '2028-06-04', lts: true }, { cycle: '12.0', eol: '2025-11-18' }, { cycle: '12.1', eol: '2026-02-13' },
      { cycle: '12.2', eol: '2026-05-13' },
    ],
  },
  {
    id: 'mongodb',
    name: 'MongoDB',
    images: ['mongo'],
    upgrade: { fix: false, reason: DATABASE },
    source: 'https://www.mongodb.com/legal/support-policy/lifecycles (via https://endoflife.date/api/mongodb.json)',
    lines: [
      { cycle: '3.0', eol: '2018-02-28', lts: true }, { cycle: '3.2', eol: '2018-09-30', lts: true }, { cycle: '3.4', eol: '2020-01-31', lts: true },
      { cycle: '3.6', eol: '2021-04-30', lts: true }, { cycle: '4.0', eol: '2022-04-30', lts: true }, { cycle: '4.2', eol: '2023-04-30', lts: true },
      { cycle: '4.4', eol: '2024-02-29', lts: true }, { cycle: '5.0', eol: '2024-10-31', lts: true }, { cycle: '6.0', eol: '2025-07-31', lts: true },
      { cycle: '7.0', eol: '2027-08-31', lts: true }, { cycle: '8.0', eol: '2029-10-31', lts: true },
    ],
  },
  {
    id: 'redis',
    name: 'Redis',
    images: ['redis'],
    upgrade: { fix: false, reason: 'a new major version of Redis changes its defaults and commands, and a replica set is upgraded one node at a time' },
    source: 'https://redis.io/docs/latest/operate/rs/installing-upgrading/product-lifecycle/ (via https://endoflife.date/redis)',
    lines: [
      { cycle: '5.0', eol: '2022-04-27' }, { cycle: '6.0', eol: '2022-05-31' }, { cycle: '6.2', eol: '2025-02-28' },
      { cycle: '7.0', eol: '2024-07-29' }, { cycle: '7.2', eol: '2026-02-28' }, { cycle: '7.4', eol: null },
      { cycle: '8.0', eol: null }, { cycle: '8.2', eol: null }, { cycle: '8.4', eol: null },
    ],
  },
  {
    id: 'nginx',
    name: 'nginx',
    images: ['nginx'],
    configDirs: ['/etc/nginx'],
    upgrade: { fix: true },
    source: 'https://nginx.org/en/download.html (via https://endoflife.date/api/nginx.json)',
    lines: [
      // Stable branches (even) end when the next one is released; mainline branches (odd) when
      // the next mainline starts. For 1.7–1.15, whose ends are not listed, the date is that of
      // the stable release after the next mainline: later than the real end, never earlier.
      { cycle: '1.0', eol: '2012-04-23', lts: true }, { cycle: '1.2', eol: '2013-04-24', lts: true }, { cycle: '1.4', eol: '2014-04-24', lts: true },
      { cycle: '1.6', eol: '2015-04-21', lts: true }, { cycle: '1.7', eol: '2016-04-26' }, { cycle: '1.8', eol: '2016-04-26', lts: true },
      { cycle: '1.9', eol: '2017-04-12' }, { cycle: '1.10', eol: '2017-04-12', lts: true }, { cycle: '1.11', eol: '2018-04-17' },
      { cycle: '1.12', eol: '2018-04-17', lts: true }, { cycle: '1.13', eol: '2019-04-23' }, { cycle: '1.14', eol: '2019-04-23', lts: true },
      { cycle: '1.15', eol: '2020-04-21' }, { cycle: '1.16', eol: '2020-04-20', lts: true }, { cycle: '1.17', eol: '2020-05-26' },
      { cycle: '1.18', eol: '2021-04-20', lts: true }, { cycle: '1.19', eol: '2021-05-25' }, { cycle: '1.20', eol: '2022-05-24', lts: true },
      { cycle: '1.21', eol: '2022-06-21' }, { cycle: '1.22', eol: '2023-04-11', lts: true }, { cycle: '1.23', eol: '2023-05-23' },
      { cycle: '1.24', eol: '2024-04-23', lts: true }, { cycle: '1.25', eol: '2024-05-29' }, { cycle: '1.26', eol: '2025-04-23', lts: true },
      { cycle: '1.27', eol: '2025-06-24' }, { cycle: '1.28', eol: '2026-04-14', lts: true }, { cycle: '1.29', eol: '2026-05-13' },
      { cycle: '1.30', eol: null, lts: true }, { cycle: '1.31', eol: null },
    ],
  },
  {
    id: 'apache-http-server',
    name: 'Apache HTTP Server',
    images: ['httpd'],
    upgrade: { fix: false, reason: 'Apache 2.4 changed the configuration syntax (access control, modules) of 2.2, so the configuration needs a person' },
    source: 'https://httpd.apache.org/ (via https://endoflife.date/apache)',
    lines: [{ cycle: '2.0', eol: '2013-07-10' }, { cycle: '2.2', eol: '2017-07-11' }, { cycle: '2.4', eol: null }],
  },
  {
    id: 'rabbitmq',
    name: 'RabbitMQ',
    images: ['rabbitmq'],
    upgrade: { fix: false, reason: 'RabbitMQ is upgraded one minor version at a time, with feature flags enabled in between, so a jump needs a person' },
    source: 'https://www.rabbitmq.com/release-information (community support; via https://endoflife.date/api/rabbitmq.json)',
    lines: [
      { cycle: '3.5', eol: '2016-10-31' }, { cycle: '3.6', eol: '2018-05-31' }, { cycle: '3.7', eol: '2020-09-30' },
      { cycle: '3.8', eol: '2022-07-31' }, { cycle: '3.9', eol: '2023-01-31' }, { cycle: '3.10', eol: '2022-09-28' },
      { cycle: '3.11', eol: '2023-06-01' }, { cycle: '3.12', eol: '2024-02-21' }, { cycle: '3.13', eol: '2024-09-17' },
      { cycle: '4.0', eol: '2025-04-15' }, { cycle: '4.1', eol: '2026-01-30' }, { cycle: '4.2', eol: null },
    ],
  },
];

/** An image that is no longer maintained at all, whatever its tag, and what replaced it. */
export interface Deprecation {
  /** The repository (Docker Hub name, `library/` implied), or a `registry/path` pattern. */
  image: string;
  /** Only tags this matches are deprecated (the `onbuild` variants); all tags when absent. */
  tags?: RegExp;
  /** Tags this matches are still maintained (openjdk's early-access builds). */
  except?: RegExp;
  /** The last update, when known: `YYYY-MM-DD` or `YYYY-MM`. */
  since?: string;
  /**
   * What to use instead, as message text (image names in backticks). An image name template
   * without backticks gets them: `{major}` is `:<the tag's major version>` and `{variant}` the
   * tag's `-jre`/`-jdk`/`-alpine` words when known, `{untagged}` the tag without `onbuild`.
   */
  replacement: string;
  /** Why, in a few words, for the message. */
  why: string;
  source: string;
}

/** Docker Official Images that had `onbuild` variants (docker-library/official-images#2076). */
const ONBUILD = ['node', 'python', 'ruby', 'golang', 'pypy', 'django', 'rails', 'iojs', 'erlang', 'elixir', 'clojure', 'maven', 'jruby', 'mono', 'sentry'];

export const deprecations: Deprecation[] = [
  {
    image: 'openjdk',
    except: /(?:^|[-.])ea(?:[-.]|$)/,
    since: '2022-07',
    replacement: 'eclipse-temurin{major}{variant}',
    why: 'the openjdk images get no updates since July 2022 (only early-access builds do)',
    source: 'https://github.com/docker-library/openjdk/issues/505 and the DEPRECATION NOTICE on https://hub.docker.com/_/openjdk',
  },
  {
    image: 'java',
    since: '2016-12-31',
    replacement: 'eclipse-temurin{major}{variant}',
    why: 'the java images get no updates since 2016-12-31 (they became openjdk, itself deprecated since)',
    source: 'https://github.com/docker-library/docs/pull/660 (hub.docker.com/_/java: "no further updates after 2016-12-31")',
  },
  ...ONBUILD.map((image): Deprecation => ({
    image,
    tags: /(?:^|-)onbuild$/,
    replacement: `${image}{untagged}`,
    why: 'the `onbuild` variants were deprecated in 2017 and are no longer built',
    source: 'https://github.com/docker-library/official-images/issues/2076',
  })),
  ...([
    ['microsoft/dotnet', '`mcr.microsoft.com/dotnet/sdk`, `…/aspnet` or `…/runtime`'],
    ['microsoft/aspnetcore', '`mcr.microsoft.com/dotnet/aspnet`'],
    ['microsoft/aspnetcore-build', '`mcr.microsoft.com/dotnet/sdk`'],
    ['microsoft/aspnet', '`mcr.microsoft.com/dotnet/framework/aspnet`'],
    ['microsoft/dotnet-framework', '`mcr.microsoft.com/dotnet/framework/runtime` or `…/sdk`'],
    ['microsoft/windowsservercore', '`mcr.microsoft.com/windows/servercore`'],
    ['microsoft/nanoserver', '`mcr.microsoft.com/windows/nanoserver`'],
    ['microsoft/mssql-server-linux', '`mcr.microsoft.com/mssql/server`'],
  ] as const).map(([image, replacement]): Deprecation => ({
    image,
    replacement,
    why: 'Microsoft no longer publishes its images on Docker Hub, and this repository gets no updates',
    source: 'https://github.com/dotnet/dotnet-docker/issues/2848',
  })),
];
