import type { Distro } from '../../text/images';

/**
 * What a native extension built against a `-dev` package needs at run time. A build that installs
 * `libpq-dev` compiles psycopg2 or the `pg` gem against libpq: the runtime stage, without the
 * headers, still needs `libpq5`, or the import fails at start-up. Only libraries whose package
 * name is the same on every Debian release the official images use (bullseye, bookworm, trixie)
 * and on Alpine are named; for any other `-dev` package the conversion declines.
 */
const DEBIAN: Record<string, string> = {
  'libpq-dev': 'libpq5',
  'default-libmysqlclient-dev': 'libmariadb3',
  'libmariadb-dev': 'libmariadb3',
  'libmariadb-dev-compat': 'libmariadb3',
  'libmariadbclient-dev': 'libmariadb3',
  'libjpeg-dev': 'libjpeg62-turbo',
  'libjpeg62-turbo-dev': 'libjpeg62-turbo',
  'libxml2-dev': 'libxml2',
  'libxslt1-dev': 'libxslt1.1',
  'libxslt-dev': 'libxslt1.1',
  'libyaml-dev': 'libyaml-0-2',
  'libfreetype6-dev': 'libfreetype6',
  'libcairo2-dev': 'libcairo2',
  'libsasl2-dev': 'libsasl2-2',
  'libzmq3-dev': 'libzmq5',
};

const ALPINE: Record<string, string> = {
  'postgresql-dev': 'libpq',
  'libpq-dev': 'libpq',
  'mariadb-dev': 'mariadb-connector-c',
  'mariadb-connector-c-dev': 'mariadb-connector-c',
  'jpeg-dev': 'libjpeg-turbo',
  'libjpeg-turbo-dev': 'libjpeg-turbo',
  'libxml2-dev': 'libxml2',
  'libxslt-dev': 'libxslt',
  'yaml-dev': 'yaml',
  'freetype-dev': 'freetype',
  'cairo-dev': 'cairo',
  'zeromq-dev': 'libzmq',
  'cyrus-sasl-dev': 'libsasl',
};

/** `-dev` packages of the base system every slim image has (zlib, the C library's headers). */
const SYSTEM = 'zlib1g-dev|zlib-dev|libc6?-dev|linux-libc-dev|musl-dev|linux-headers';

/**
 * `-dev` packages whose library the slim runtime already has: the base system's, and what the
 * language itself links (Python's ssl, ctypes, sqlite3…; Ruby's openssl, psych, fiddle).
 */
const PRESENT: Record<'node' | 'python' | 'ruby' | 'go', RegExp> = {
  node: new RegExp(`^(${SYSTEM}|python3-dev)$`),
  go: new RegExp(`^(${SYSTEM})$`),
  python: new RegExp(`^(${SYSTEM}|python3?-dev|libpython3(\\.\\d+)?-dev|libffi-dev|libssl-dev|openssl-dev|libsqlite3-dev|sqlite-dev|libbz2-dev|bzip2-dev|liblzma-dev|xz-dev|libreadline-dev|readline-dev|libncursesw?5?-dev|ncurses-dev|libgdbm-dev|gdbm-dev|libexpat1-dev|expat-dev|uuid-dev|util-linux-dev)$`),
  ruby: new RegExp(`^(${SYSTEM}|libffi-dev|libssl-dev|openssl-dev|libyaml-dev|yaml-dev|libreadline-dev|readline-dev|libgdbm-dev|gdbm-dev|libgmp-dev|gmp-dev)$`),
};

/**
 * The runtime packages for the `-dev` packages a build installed, or null when one of them is not
 * known. On Alpine, a C++ compiler adds `libstdc++`, which Python and Ruby images do not carry.
 */
export function runtimeLibraries(packages: readonly string[], distro: Distro, family: 'node' | 'python' | 'ruby' | 'go'): string[] | null {
  const table = distro === 'alpine' ? ALPINE : DEBIAN;
  const out = new Set<string>();
  for (const written of packages) {
    const name = written.replace(/[=:].*$/, '');
    if (distro === 'alpine' && family !== 'node' && (name === 'g++' || name === 'build-base')) out.add('libstdc++');
    if (!/-dev(el)?$/.test(name) || PRESENT[family].test(name)) continue;
    const library = Object.hasOwn(table, name) ? table[name] : undefined;
    if (library === undefined) return null;
    out.add(library);
  }
  return [...out];
}

/**
 * Packages of the application that compile against a system library without the Dockerfile
 * installing its `-dev` package: the full language images (buildpack-deps) ship the headers, so
 * pip, gem or npm build them from source there, and the slim runtime needs the library. Read from
 * the project's manifests (requirements files and pyproject.toml, Gemfile and Gemfile.lock,
 * package.json); only packages without binary wheels or prebuilt binaries are listed.
 */
const PROJECT_LIBRARIES: Record<'python' | 'ruby' | 'node', { pattern: RegExp; debian: string; alpine: string }[]> = {
  // mysqlclient has no Linux wheels; psycopg2 (not -binary) builds from source.
  python: [
    { pattern: /^\s*mysqlclient\b/im, debian: 'libmariadb3', alpine: 'mariadb-connector-c' },
    { pattern: /^\s*["']?psycopg2(?![-\w])/im, debian: 'libpq5', alpine: 'libpq' },
    // psycopg 3 loads libpq with ctypes unless its `[binary]` extra brings its own.
    { pattern: /^\s*["']?psycopg(?:\[(?:c|pool)\])?(?=\s*(?:[=<>~!;,"']|$))/im, debian: 'libpq5', alpine: 'libpq' },
  ],
  ruby: [
    { pattern: /^\s*(?:gem\s+["']mysql2["']|mysql2 \()/m, debian: 'libmariadb3', alpine: 'mariadb-connector-c' },
    { pattern: /^\s*(?:gem\s+["']pg["']|pg \()/m, debian: 'libpq5', alpine: 'libpq' },
  ],
  node: [{ pattern: /"pg-native"\s*:/, debian: 'libpq5', alpine: 'libpq' }],
};

export function projectLibraries(family: 'python' | 'ruby' | 'node', distro: Distro, manifests: string[]): string[] {
  const text = manifests.join('\n');
  return PROJECT_LIBRARIES[family].filter((l) => l.pattern.test(text)).map((l) => (distro === 'alpine' ? l.alpine : l.debian));
}

/**
 * Packages of the application that use a system library (or program) the full language image has
 * and its `-slim` does not, without a runtime package name that holds on every release of the
 * distribution: loaded with ctypes/cffi/FFI (python-magic, WeasyPrint, Typhoeus), linked from
 * source against what the build image had (uWSGI, python-ldap), or a program the package runs
 * (mini_magick's ImageMagick). A slim runtime would import them and fail at first use.
 */
const SYSTEM_USERS: Record<'python' | 'ruby' | 'node', { names: string[]; uses: string }[]> = {
  python: [
    { names: ['python-magic', 'filemagic'], uses: 'libmagic' },
    { names: ['python-ldap'], uses: 'OpenLDAP\'s libldap' },
    { names: ['pyodbc', 'turbodbc'], uses: 'unixODBC\'s libodbc' },
    { names: ['wand'], uses: 'ImageMagick\'s MagickWand' },
    { names: ['weasyprint'], uses: 'Pango and HarfBuzz' },
    { names: ['cairosvg', 'cairocffi', 'pycairo'], uses: 'Cairo' },
    { names: ['pygobject'], uses: 'GObject Introspection' },
    { names: ['dbus-python'], uses: 'libdbus' },
    { names: ['pyvips'], uses: 'libvips' },
    { names: ['uwsgi'], uses: 'the libraries it compiled against (libxml2, PCRE, OpenSSL)' },
    { names: ['gssapi', 'pykerberos', 'kerberos', 'requests-kerberos'], uses: 'Kerberos\'s libkrb5' },
    { names: ['xmlsec'], uses: 'libxmlsec1' },
    { names: ['pylibmc'], uses: 'libmemcached' },
    { names: ['mysql-python'], uses: 'the MySQL client library' },
  ],
  ruby: [
    { names: ['rmagick', 'mini_magick', 'image_processing'], uses: 'ImageMagick' },
    { names: ['ruby-vips'], uses: 'libvips' },
    { names: ['typhoeus', 'ethon', 'curb'], uses: 'libcurl' },
    { names: ['ruby-filemagic'], uses: 'libmagic' },
  ],
  node: [
    { names: ['kerberos'], uses: 'Kerberos\'s libkrb5' },
    { names: ['odbc'], uses: 'unixODBC\'s libodbc' },
    { names: ['gm', 'imagemagick'], uses: 'ImageMagick\'s programs' },
  ],
};

/** A package of the project's manifests that needs what only the full image has, and what that is; or null. */
export function systemLibraryUser(family: 'python' | 'ruby' | 'node', manifests: string[]): { name: string; uses: string } | null {
  const text = manifests.join('\n').split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
  for (const entry of SYSTEM_USERS[family]) {
    for (const name of entry.names) {
      const written = name.split(/[-_.]/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[-_.]');
      const pattern = family === 'python' ? new RegExp(`(?:^|["'\\s,\\[])${written}(?=\\s*(?:[=<>~!\\[;"',]|$))`, 'im')
        : family === 'ruby' ? new RegExp(`(?:gem\\s+["']${written}["']|^\\s{4}${written} \\()`, 'm')
          : new RegExp(`"${written}"\\s*:`);
      if (pattern.test(text)) return { name, uses: entry.uses };
    }
  }
  return null;
}
