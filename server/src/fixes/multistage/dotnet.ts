import { join, posix } from 'node:path';
import { hasOption, optionValue } from '../../dockerfile/shell';
import { sdkImage } from '../../dockerfile/ecosystems';
import { parseImageRef } from '../../text/image';
import { packageInstall, crossCompile, decline, withCacheMounts, type Converter } from './conversion';
import { codeAccess } from './appFiles';
import { commandsOf, isBuildPackage } from './source';

/**
 * .NET: `dotnet publish` writes the application to its `-o` folder in the build stage; the
 * runtime stage is the ASP.NET Core runtime image of the same version (which runs console apps
 * too), with only the publish folder. From .NET 8 the SDK publishes for another architecture
 * (`-a $TARGETARCH`), so the build stage runs on the build machine's platform, and the runtime
 * images bring their own non-root `app` user.
 */
/** What only the build reads: code, project and solution files, build outputs from the host. */
function dotnetBuildInput(path: string): boolean {
  return /\.(?:cs|fs|vb|csproj|fsproj|vbproj|sln|slnx|props|targets|user)$/.test(path) || /^(?:NuGet\.Config|nuget\.config|global\.json|launchSettings\.json|dotnet-tools\.json)$/i.test(posix.basename(path)) ||
    /(?:^|\/)(?:obj|bin)\//.test(path);
}

export const convertDotnet: Converter = (source, context) => {
  if (source.start.words[0] === 'dotnet' && source.start.words[1] === 'run') return decline('the app starts with `dotnet run`, which builds from the sources at start and needs the SDK; publish it (`dotnet publish -o out`) and start the published assembly to convert it');
  const sdk = sdkImage(source.ref);
  if (!sdk || sdk.ecosystem !== 'dotnet') return decline(`the base image \`${source.stage.base.text}\` is not a known .NET SDK image (mcr.microsoft.com/dotnet/sdk), so the runtime image of the same .NET is not known`);
  const commands = commandsOf(source, (k) => k.ecosystem === 'dotnet');
  if (commands.some((c) => c.step.commands.some((x) => x.program === 'cd'))) return decline('the build runs after a `cd` in the same RUN, which is not followed');
  const publishes = commands.filter((c) => c.command.args.some((a) => a.value === 'publish'));
  if (publishes.length === 0) return decline('no `dotnet publish` was found: a runtime image needs the published output');
  if (publishes.length > 1) return decline('the Dockerfile publishes more than once, and which output runs is not followed');
  const [publish] = publishes;
  const out = optionValue(publish.command, '-o', '--output');
  if (!out) return decline('`dotnet publish` has no `-o`, so where the published app lands depends on the project file');
  const folder = posix.resolve(publish.step.workdir, out);
  // `dotnet app.dll` (or the apphost) from the publish folder.
  const [program, ...args] = source.start.words;
  const target = program === 'dotnet' ? args[0] : program;
  if (!target || target.startsWith('-') || !posix.resolve(source.workdir, target).startsWith(`${folder}/`)) return decline(`the start command does not run an assembly from the publish folder \`${folder}\``);

  const version = Number(/:(\d+)\./.exec(sdk.runtime)?.[1] ?? '0');
  const cross = version >= 8 && context.builder === 'buildkit' && commands.every((c) => !hasOption(c.command, '-r', '--runtime', '-a', '--arch'));
  const image = sdk.runtime;
  const distro = image.includes('alpine') ? 'alpine' : 'debian';
  // Packages the original installed that are not build tools (libgdiplus, a CLI the app runs).
  const install = packageInstall(distro, source.packages.filter((p) => !isBuildPackage(p, true)));
  const restoring = new Set(commands.filter((c) => c.kind.installsDependencies || c.kind.builds).map((c) => c.step));
  // The project file is named after the assembly the ENTRYPOINT runs (`Shop.Api.dll` →
  // `Shop.Api.csproj`). Copied alone with the files restore reads, it restores in a layer of its
  // own; not when it references other projects, which restore would need too.
  const assembly = posix.basename(target).replace(/\.dll$/, '');
  const project = context.dir === null ? null : ['csproj', 'fsproj', 'vbproj'].map((ext) => `${assembly}.${ext}`).find((f) => context.files.exists(join(context.dir!, f))) ?? null;
  const standalone = project !== null && !/<ProjectReference\b/i.test(context.files.read(join(context.dir!, project)) ?? '<ProjectReference');
  const restoreOnly = new Set([...restoring].filter((s) => s.commands.every((c, i) => s.kinds[i]?.ecosystem === 'dotnet' && s.kinds[i]!.installsDependencies && !s.kinds[i]!.builds)));
  const cache = '--mount=type=cache,target=/root/.nuget/packages';
  return {
    label: '.NET',
    typicalSize: '~800 MB SDK image → ~120–230 MB ASP.NET Core runtime image',
    ...crossCompile(cross, 'TARGETARCH'),
    rewriteRun(step) {
      if (!restoring.has(step)) return step.raw;
      let raw = step.raw;
      if (cross) {
        // `-a $TARGETARCH` after each restore/build/publish: the SDK maps amd64 and arm64 itself.
        const base = step.document.offsetAt(step.instruction.range.start);
        const subs = step.commands.flatMap((c, i) => (step.kinds[i]?.ecosystem === 'dotnet' ? c.args.filter((a) => a.value === 'restore' || a.value === 'publish' || a.value === 'build').slice(0, 1) : []));
        for (const sub of [...subs].reverse()) {
          const at = step.document.offsetAt(sub.range.end) - base;
          raw = `${raw.slice(0, at)} -a $TARGETARCH${raw.slice(at)}`;
        }
      }
      return step.afterUser || context.builder === 'classic' ? raw : withCacheMounts(raw, ['/root/.nuget/packages'], step);
    },
    buildEpilogue: [],
    // ASP.NET Core's content root is the working directory: appsettings*.json and wwwroot are
    // read from there, not from the publish folder, so every such file the image had crosses.
    appFiles: { mode: 'select', buildInput: dotnetBuildInput, access: codeAccess(null, 'ASP.NET Core reads appsettings and wwwroot from its content root, the working directory') },
    assumptions: [],
    manifests: standalone
      ? {
          // The files restore reads besides the project: NuGet's settings (each spelling it looks for
          // on Linux), MSBuild's directory files, the lock file, the SDK pin.
          files: [project!, 'NuGet.Config', 'nuget.config', 'NuGet.config', 'Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'packages.lock.json', 'global.json'],
          required: [project!],
          installs: restoreOnly,
          prefetch: `RUN ${context.builder === 'classic' ? '' : `${cache} `}dotnet restore${cross ? ' -a $TARGETARCH' : ''}`,
          // An imported file of the project's own may add packages: it comes with the sources.
          needsSources: /<Import\s+Project=/i.test(context.files.read(join(context.dir!, project!)) ?? '') ? `\`${project}\` imports other MSBuild files, which may add packages` : null,
          // A local build's obj/project.assets.json would replace the restore's (NETSDK1047 at publish).
          buildState: ['obj', 'bin'].map((d) => posix.join(posix.dirname(project!), d)),
        }
      : null,
    runtime: {
      image,
      comment: [`Runtime: the ASP.NET Core runtime of .NET ${/:(\d+\.\d+)/.exec(image)?.[1] ?? ''} with the publish folder; no SDK.`],
      ref: parseImageRef(image),
      distro,
      setup: install ? [install] : [],
      env: [],
      artifacts: [{ from: folder, to: folder }],
      shellless: false,
      start: null,
      installTool: (tool) => packageInstall(distro, [tool])!,
      probeFacts: {},
      imageUser: version >= 8 ? 'app' : null,
    },
  };
};
