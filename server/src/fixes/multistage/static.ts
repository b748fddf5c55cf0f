import { posix } from 'node:path';
import { parseImageRef } from '../../text/image';
import { instruction } from './plan';
import { packageInstall, type Builder, type Conversion } from './conversion';

/**
 * Static front-ends (React, Vue, Angular, Vite builds) that the original serves with a Node static
 * server (`serve`, `http-server`): the build output is all that runs, so nginx serves it. The
 * unprivileged nginx image runs as a non-root user and listens on the port the original did.
 */

const NGINX = 'nginxinc/nginx-unprivileged:1.27-alpine';

export interface StaticSite {
  /** Absolute path of the build output in the build stage. */
  dir: string;
  port: string;
  /** Unknown paths fall back to index.html (client-side routing). */
  spa: boolean;
}

/** The folder and port of `serve -s build -l 3000` or `http-server dist -p 8080`, or null. */
export function staticServer(words: string[], appDir: string): StaticSite | null {
  let rest = words;
  if (rest[0] === 'npx') rest = rest.slice(1).filter((w) => w !== '--yes' && w !== '-y');
  const program = rest[0]?.replace(/^.*\//, '');
  if (program !== 'serve' && program !== 'http-server') return null;
  const valueOptions = program === 'serve' ? ['-l', '--listen', '-p', '--port', '-c', '--config'] : ['-p', '--port', '-a', '-c', '-e', '--ext', '-P', '--proxy'];
  let port = program === 'serve' ? '3000' : '8080';
  let spa = false;
  const folders: string[] = [];
  for (let i = 1; i < rest.length; i++) {
    const word = rest[i];
    if (valueOptions.includes(word)) {
      if (word === '-l' || word === '--listen' || word === '-p' || word === '--port') port = rest[i + 1]?.replace(/^tcp:\/\/[^:]*:?/, '') ?? '';
      i++;
    } else if (word === '-s' || word === '--single') {
      spa = true;
    } else if (word.startsWith('-')) {
      return null;
    } else {
      folders.push(word);
    }
  }
  if (folders.length !== 1 || !/^\d+$/.test(port)) return null;
  const dir = posix.resolve(appDir, folders[0]);
  if (dir === appDir || !dir.startsWith(`${appDir === '/' ? '' : appDir}/`)) return null;
  return { dir, port, spa };
}

/** The conversion for a static site: the original build stage, nginx with the output. */
export function serveStatic(site: StaticSite, rewriteRun: Conversion['rewriteRun'], builder: Builder): Conversion {
  const fallback = site.spa ? '$uri $uri/ /index.html' : '$uri $uri/ =404';
  const lines = ['server {', `    listen ${site.port};`, '    root /usr/share/nginx/html;', `    location / { try_files ${fallback}; }`, '}'];
  // A quoted heredoc delimiter: BuildKit writes the text as is, `$uri` included. The classic
  // builder has no heredocs: printf in single quotes writes it (the unprivileged image lets its
  // user write /etc/nginx).
  const config = builder === 'buildkit'
    ? ['COPY <<"EOF" /etc/nginx/conf.d/default.conf', ...lines, 'EOF'].join('\n')
    : `RUN printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')} > /etc/nginx/conf.d/default.conf`;
  return {
    label: 'static site',
    typicalSize: '~1.1 GB Node.js image → ~20–50 MB nginx image',
    buildPlatform: null,
    buildPrelude: [],
    rewriteRun,
    buildEpilogue: [],
    manifests: null,
    appFiles: { mode: 'whole' },
    assumptions: [],
    runtime: {
      image: NGINX,
      comment: [`Runtime: nginx serves the built files; no Node.js. It runs unprivileged and listens on ${site.port}, as the original did.`],
      ref: parseImageRef(NGINX),
      distro: 'alpine',
      setup: [instruction(builder === 'buildkit' ? 'COPY' : 'RUN', config)],
      env: [],
      artifacts: [{ from: site.dir, to: '/usr/share/nginx/html' }],
      shellless: false,
      start: ['nginx', '-g', 'daemon off;'],
      installTool: (tool) => packageInstall('alpine', [tool])!,
      probeFacts: {},
      imageUser: 'nginx',
    },
  };
}
