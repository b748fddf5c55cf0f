import type { Rule } from './types';
import healthcheckPresent from './common/healthcheck-present';
import imageEndOfLife from './common/image-end-of-life';
import imageRegistryTrusted from './common/image-registry-trusted';
import imageTagPinned from './common/image-tag-pinned';
import validUtf8 from './common/valid-utf8';
import backendNetworkIsolated from './compose/backend-network-isolated';
import buildArgsDeclared from './compose/build-args-declared';
import buildContextExists from './compose/build-context-exists';
import buildTargetExists from './compose/build-target-exists';
import capDropAll from './compose/cap-drop-all';
import composeSchema from './compose/compose-schema';
import composeSyntax from './compose/compose-syntax';
import containerNameValid from './compose/container-name-valid';
import dependsOnHealthy from './compose/depends-on-healthy';
import extendsValid from './compose/extends-valid';
import healthcheckForDependency from './compose/healthcheck-for-dependency';
import healthcheckValid from './compose/healthcheck-valid';
import loggingRotation from './compose/logging-rotation';
import noDangerousCapabilities from './compose/no-dangerous-capabilities';
import noDockerSocket from './compose/no-docker-socket';
import noDuplicateContainerNames from './compose/no-duplicate-container-names';
import noDuplicatePorts from './compose/no-duplicate-ports';
import noHostNamespaces from './compose/no-host-namespaces';
import noNewPrivileges from './compose/no-new-privileges';
import noPrivileged from './compose/no-privileged';
import noSecretsInEnvironment from './compose/no-secrets-in-environment';
import noSensitiveHostMounts from './compose/no-sensitive-host-mounts';
import noVersionField from './compose/no-version-field';
import portsBindLocalhost from './compose/ports-bind-localhost';
import readOnlyRootFilesystem from './compose/read-only-root-filesystem';
import resourceLimits from './compose/resource-limits';
import restartPolicy from './compose/restart-policy';
import seccompEnabled from './compose/seccomp-enabled';
import addExtractsArchives from './dockerfile/add-extracts-archives';
import aptGetNotApt from './dockerfile/apt-get-not-apt';
import aptNoInstallRecommends from './dockerfile/apt-no-install-recommends';
import aptUpdateWithInstall from './dockerfile/apt-update-with-install';
import argsDefinedInFrom from './dockerfile/args-defined-in-from';
import caCertificatesInScratch from './dockerfile/ca-certificates-in-scratch';
import consecutiveRun from './dockerfile/consecutive-run';
import copyDependenciesFirst from './dockerfile/copy-dependencies-first';
import copyDestDirectory from './dockerfile/copy-dest-directory';
import copyFromValid from './dockerfile/copy-from-valid';
import copyIgnoredFile from './dockerfile/copy-ignored-file';
import copyNotAdd from './dockerfile/copy-not-add';
import copyRelativeDest from './dockerfile/copy-relative-dest';
import copyWholeStage from './dockerfile/copy-whole-stage';
import dockerignorePresent from './dockerfile/dockerignore-present';
import envSelfReference from './dockerfile/env-self-reference';
import execFormCmd from './dockerfile/exec-form-cmd';
import execFormValid from './dockerfile/exec-form-valid';
import exposeValid from './dockerfile/expose-valid';
import flagKnown from './dockerfile/flag-known';
import flagValueValid from './dockerfile/flag-value-valid';
import fromFirst from './dockerfile/from-first';
import healthcheckExitCode from './dockerfile/healthcheck-exit-code';
import healthcheckToolAvailable from './dockerfile/healthcheck-tool-available';
import heredocTerminated from './dockerfile/heredoc-terminated';
import instructionArguments from './dockerfile/instruction-arguments';
import instructionKnown from './dockerfile/instruction-known';
import keywordCasing from './dockerfile/keyword-casing';
import labelKeyValid from './dockerfile/label-key-valid';
import legacyKeyValue from './dockerfile/legacy-key-value';
import multiArchReady from './dockerfile/multi-arch-ready';
import noDevDependenciesInFinalStage from './dockerfile/no-dev-dependencies-in-final-stage';
import noDuplicateInstructions from './dockerfile/no-duplicate-instructions';
import noEmptyContinuation from './dockerfile/no-empty-continuation';
import noHostCommands from './dockerfile/no-host-commands';
import noMaintainer from './dockerfile/no-maintainer';
import noRootUser from './dockerfile/no-root-user';
import noSecretFilesCopied from './dockerfile/no-secret-files-copied';
import noSecretsInArgEnv from './dockerfile/no-secrets-in-arg-env';
import noSudo from './dockerfile/no-sudo';
import noSystemUpgrade from './dockerfile/no-system-upgrade';
import npmCi from './dockerfile/npm-ci';
import onbuildValid from './dockerfile/onbuild-valid';
import packageCacheCleaned from './dockerfile/package-cache-cleaned';
import packageManagerNoninteractive from './dockerfile/package-manager-noninteractive';
import packageVersionsPinned from './dockerfile/package-versions-pinned';
import parserDirectiveValid from './dockerfile/parser-directive-valid';
import pipefailSet from './dockerfile/pipefail-set';
import preferCacheMounts from './dockerfile/prefer-cache-mounts';
import preferMultiStage from './dockerfile/prefer-multi-stage';
import redundantTargetPlatform from './dockerfile/redundant-target-platform';
import remoteAddChecksum from './dockerfile/remote-add-checksum';
import remoteScriptVerified from './dockerfile/remote-script-verified';
import reservedStageName from './dockerfile/reserved-stage-name';
import runCommandAvailable from './dockerfile/run-command-available';
import runtimeImageMinimal from './dockerfile/runtime-image-minimal';
import shellInstruction from './dockerfile/shell-instruction';
import singleDownloadTool from './dockerfile/single-download-tool';
import stageNameCasing from './dockerfile/stage-name-casing';
import stageNamesUnique from './dockerfile/stage-names-unique';
import staticBinaryForScratch from './dockerfile/static-binary-for-scratch';
import tlsVerificationEnabled from './dockerfile/tls-verification-enabled';
import undefinedVar from './dockerfile/undefined-var';
import useraddNoLogInit from './dockerfile/useradd-no-log-init';
import wgetProgress from './dockerfile/wget-progress';
import workdirAbsolute from './dockerfile/workdir-absolute';
import workdirNotCd from './dockerfile/workdir-not-cd';

/** The catalogue: one line per rule, sorted by file path (generated by scripts/rules-index.mjs). */
export const rules: readonly Rule[] = [
  healthcheckPresent,
  imageEndOfLife,
  imageRegistryTrusted,
  imageTagPinned,
  validUtf8,
  backendNetworkIsolated,
  buildArgsDeclared,
  buildContextExists,
  buildTargetExists,
  capDropAll,
  composeSchema,
  composeSyntax,
  containerNameValid,
  dependsOnHealthy,
  extendsValid,
  healthcheckForDependency,
  healthcheckValid,
  loggingRotation,
  noDangerousCapabilities,
  noDockerSocket,
  noDuplicateContainerNames,
  noDuplicatePorts,
  noHostNamespaces,
  noNewPrivileges,
  noPrivileged,
  noSecretsInEnvironment,
  noSensitiveHostMounts,
  noVersionField,
  portsBindLocalhost,
  readOnlyRootFilesystem,
  resourceLimits,
  restartPolicy,
  seccompEnabled,
  addExtractsArchives,
  aptGetNotApt,
  aptNoInstallRecommends,
  aptUpdateWithInstall,
  argsDefinedInFrom,
  caCertificatesInScratch,
  consecutiveRun,
  copyDependenciesFirst,
  copyDestDirectory,
  copyFromValid,
  copyIgnoredFile,
  copyNotAdd,
  copyRelativeDest,
  copyWholeStage,
  dockerignorePresent,
  envSelfReference,
  execFormCmd,
  execFormValid,
  exposeValid,
  flagKnown,
  flagValueValid,
  fromFirst,
  healthcheckExitCode,
  healthcheckToolAvailable,
  heredocTerminated,
  instructionArguments,
  instructionKnown,
  keywordCasing,
  labelKeyValid,
  legacyKeyValue,
  multiArchReady,
  noDevDependenciesInFinalStage,
  noDuplicateInstructions,
  noEmptyContinuation,
  noHostCommands,
  noMaintainer,
  noRootUser,
  noSecretFilesCopied,
  noSecretsInArgEnv,
  noSudo,
  noSystemUpgrade,
  npmCi,
  onbuildValid,
  packageCacheCleaned,
  packageManagerNoninteractive,
  packageVersionsPinned,
  parserDirectiveValid,
  pipefailSet,
  preferCacheMounts,
  preferMultiStage,
  redundantTargetPlatform,
  remoteAddChecksum,
  remoteScriptVerified,
  reservedStageName,
  runCommandAvailable,
  runtimeImageMinimal,
  shellInstruction,
  singleDownloadTool,
  stageNameCasing,
  stageNamesUnique,
  staticBinaryForScratch,
  tlsVerificationEnabled,
  undefinedVar,
  useraddNoLogInit,
  wgetProgress,
  workdirAbsolute,
  workdirNotCd,
];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.id, r]));
