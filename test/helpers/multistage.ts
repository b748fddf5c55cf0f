import type { LanguageService, SourceFile } from '../../server/src/service';
import { config } from './check';

/** Rules a converted file must no longer trip. */
const CLEARED = ['prefer-multi-stage', 'runtime-image-minimal', 'no-root-user'];

/**
 * What is wrong with a conversion's output: a finding it should have cleared, an error rule the
 * original did not have, or a second conversion offered. Empty when it passes.
 */
export function conversionProblems(service: LanguageService, original: SourceFile, output: string): string[] {
  const problems: string[] = [];
  const before = service.lint(original, config());
  const converted: SourceFile = { ...original, uri: `${original.uri}#multistage`, text: output };
  const after = service.lint(converted, config());
  for (const f of after) {
    if (CLEARED.includes(f.rule)) problems.push(`${f.rule} at line ${f.range.start.line + 1}: ${f.message}`);
    if (f.severity === 'error' && !before.some((b) => b.rule === f.rule && b.severity === 'error')) problems.push(`new error ${f.rule} at line ${f.range.start.line + 1}: ${f.message}`);
  }
  // Idempotent: a converted file offers no second conversion, by quick fix or refactoring.
  if (service.codeActions(converted, config(), [], ['refactor']).length > 0) problems.push('a second conversion is offered');
  service.close(converted.uri);
  return problems;
}
