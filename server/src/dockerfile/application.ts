import type { Stage } from './parse';

/** Copies that only bring in start-up scripts or helpers, as the official server images do. */
function isHelperCopy(instruction: Stage['instructions'][number]): boolean {
  if (instruction.flags.some((f) => f.name === 'from')) return false;
  const args = instruction.ast.getArguments().map((a) => a.getValue());
  if (instruction.heredocs.length > 0 || args.length < 2) return false;
  const sources = args.slice(0, -1);
  const destination = args[args.length - 1];
  if (/^\/(?:usr\/(?:local\/)?)?s?bin\/?$|^\/docker-entrypoint\.d\/?$/.test(destination) && sources.every((s) => !/^\.\/?$/.test(s))) return true;
  return sources.every((s) => /\.(?:sh|bash|envsh)$|entrypoint/i.test(s.split('/').pop() ?? ''));
}

/** True when the image carries an application, not just a server or runtime for others to build on. */
export function carriesApplication(chain: Stage[], words: string[]): boolean {
  if (chain.some((s) => s.instructions.some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !isHelperCopy(i)))) return true;
  // A start command that runs a file of the app: `node server.js`, `java -jar app.jar`, `dotnet app.dll`.
  return words.some((w, i) => i > 0 && /\.(?:js|mjs|cjs|ts|py|jar|dll|rb|php)$/.test(w));
}

/** Folders a runtime or toolchain is installed in, as opposed to an application's own. */
const SYSTEM_FOLDER = /^\/(?:$|usr(?:\/|$)|etc(?:\/|$)|lib(?:32|64)?(?:\/|$)|s?bin(?:\/|$))/;

/**
 * True for an image that only installs a runtime or toolchain for others to build on, as the
 * official golang and .NET images do: no start command and no port of its own, and nothing
 * copied but helper scripts and, from build stages or images, files into system folders.
 */
export function onlyInstallsRuntime(chain: Stage[]): boolean {
  const instructions = chain.flatMap((s) => s.instructions);
  if (instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT' || i.keyword === 'EXPOSE')) return false;
  return instructions.every((i) => {
    if (i.keyword !== 'COPY' && i.keyword !== 'ADD') return true;
    if (!i.flags.some((f) => f.name === 'from')) return isHelperCopy(i);
    const args = i.json ?? i.ast.getArguments().map((a) => a.getValue());
    const destination = args[args.length - 1];
    return args.length >= 2 && destination !== undefined && SYSTEM_FOLDER.test(destination);
  });
}
