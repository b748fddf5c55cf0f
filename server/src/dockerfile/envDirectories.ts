import type { DockerInstruction } from './parse';
import { propertiesOf } from './references';

/** System folders: an ENV naming one configures a tool, not a place the app writes. */
const SYSTEM_PREFIX = /^\/(?:usr|bin|sbin|lib\w*|etc|proc|sys|dev|run|var\/run|tmp|root|boot|snap|go|opt\/java|opt\/venv)(?:\/|$)/;

/**
 * Folders the app is told about through ENV (`BASE_DIR=/data`): absolute paths outside the system
 * that are not files (no extension) and not search paths or homes (`*_PATH`, `*_HOME`, `*_BIN`).
 * A process running as root could create and write them; a non-root user needs them made and
 * owned. `variables` are the stage's variables (the values in effect at its end).
 */
export function envDirectories(instructions: readonly DockerInstruction[], variables: ReadonlyMap<string, string | null>): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword !== 'ENV') continue;
    for (const { name } of propertiesOf(instruction)) {
      const value = variables.get(name)?.replace(/^["']|["']$/g, '').replace(/\/+$/, '');
      if (!value || !/^\/[\w.\-/]+$/.test(value) || SYSTEM_PREFIX.test(value) || /\.\w{1,5}$/.test(value) || /(?:^|_)(?:PATH|HOME|BIN)$/.test(name)) continue;
      if (!out.some((o) => o.path === value)) out.push({ name, path: value });
    }
  }
  return out;
}
