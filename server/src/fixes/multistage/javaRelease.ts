import { join } from 'node:path';
import type { FileAccess } from '../../rules/types';

/**
 * The Java release a project compiles for, read from its build file, for images whose tag does not
 * name the JDK (`maven:latest`, `gradle:8-jdk-alpine`). The bytecode target is the oldest runtime
 * the jar runs on, so the JRE of that release runs it. Only Eclipse Temurin's long-term releases
 * are named: their JRE images stay published and patched.
 */
const TEMURIN_JRE_RELEASES = new Set([8, 11, 17, 21, 25]);

export interface JavaRelease {
  major: number;
  /** Where it was read, for the runtime stage's comment: `pom.xml (maven.compiler.release)`. */
  from: string;
}

export function projectJavaRelease(files: FileAccess, dir: string | null, tool: 'maven' | 'gradle'): JavaRelease | null {
  if (dir === null) return null;
  if (tool === 'maven') {
    const pom = files.read(join(dir, 'pom.xml'));
    return pom === null ? null : mavenRelease(pom);
  }
  for (const name of ['build.gradle.kts', 'build.gradle']) {
    const script = files.read(join(dir, name));
    if (script !== null) return gradleRelease(script, name);
  }
  return null;
}

/** `17` → 17, `1.8` → 8; anything else (a range, an expression) is not read. */
function major(value: string): number | null {
  const m = /^\s*(?:1\.(\d)|(\d{1,2}))\s*$/.exec(value);
  if (!m) return null;
  return Number(m[1] ?? m[2]);
}

/**
 * One value per source, in order of authority. Only settings that compile against that release's
 * own API count: `--release` (or a toolchain of that JDK). A bare `-target` compiled by the newer
 * JDK of an untagged image can call methods the older runtime lacks (`ByteBuffer.flip()` returning
 * `ByteBuffer` is the classic case), so `source`/`target` alone are not enough. Several different
 * values for the same setting (per execution, per module) are not chosen between.
 */
function decide(candidates: [string, string[]][]): JavaRelease | null {
  for (const [from, values] of candidates) {
    if (values.length === 0) continue;
    const majors = new Set(values.map(major));
    if (majors.size !== 1) return null;
    const [only] = majors;
    return only !== null && TEMURIN_JRE_RELEASES.has(only) ? { major: only, from } : null;
  }
  return null;
}

export function mavenRelease(pom: string): JavaRelease | null {
  // Profiles may compile for another release: only the project's own settings are read.
  const text = pom.replace(/<!--[\s\S]*?-->/g, '').replace(/<profiles>[\s\S]*?<\/profiles>/g, '');
  const properties = new Map<string, string>();
  const block = /<properties>([\s\S]*?)<\/properties>/.exec(text)?.[1] ?? '';
  for (const m of block.matchAll(/<([\w.-]+)>\s*([^<]*?)\s*<\/\1>/g)) properties.set(m[1], m[2]);
  const resolve = (value: string, depth = 0): string => {
    const ref = /^\$\{([\w.-]+)\}$/.exec(value.trim());
    if (!ref) return value;
    const target = properties.get(ref[1]);
    return target === undefined || depth > 4 ? value : resolve(target, depth + 1);
  };
  const plugin = [...text.matchAll(/<plugin>([\s\S]*?)<\/plugin>/g)].map((m) => m[1]).filter((p) => /<artifactId>\s*maven-compiler-plugin\s*<\/artifactId>/.test(p));
  const inPlugin = (name: string) => plugin.flatMap((p) => [...p.matchAll(new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`, 'g'))].map((m) => resolve(m[1])));
  const property = (name: string) => (properties.has(name) ? [resolve(properties.get(name)!)] : []);
  // Spring Boot's parent passes `java.version` to `maven.compiler.release` from 3.0 on (2.x set
  // source and target only).
  const parent = /<parent>([\s\S]*?)<\/parent>/.exec(text)?.[1] ?? '';
  const boot3 = /<artifactId>\s*spring-boot-starter-parent\s*<\/artifactId>/.test(parent) && /<version>\s*([3-9]|\d{2,})\./.test(parent);
  return decide([
    ['pom.xml (maven-compiler-plugin release)', inPlugin('release')],
    ['pom.xml (maven.compiler.release)', property('maven.compiler.release')],
    ['pom.xml (java.version, Spring Boot 3)', boot3 ? property('java.version') : []],
  ]);
}

export function gradleRelease(script: string, name: string): JavaRelease | null {
  // Comments out, keeping `//` inside URLs (`https://…`).
  const text = script.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s;])\/\/.*$/gm, '$1');
  const all = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1] ?? m[2]);
  // `sourceCompatibility`/`targetCompatibility` alone are `-source`/`-target`: not enough (above).
  return decide([
    [`${name} (toolchain)`, all(/\bJavaLanguageVersion\.of\(\s*["']?(\d+)["']?\s*\)|\bjvmToolchain\(\s*(\d+)\s*\)/g)],
    [`${name} (options.release)`, all(/\boptions\.release(?:\s*=\s*|\.set\(\s*)(\d+)|\brelease\.set\(\s*(\d+)\s*\)/g)],
  ]);
}

/**
 * The Java level the project declares it compiles for, even as bare `source`/`target` or
 * `sourceCompatibility`: the lowest JDK the build may run on. Used to bound the JDK a build is
 * pinned to when the image's tag does not name one; null when none is written.
 */
export function declaredJavaLevel(files: FileAccess, dir: string | null, tool: 'maven' | 'gradle'): { major: number; from: string } | null {
  if (dir === null) return null;
  const values: { major: number; from: string }[] = [];
  if (tool === 'maven') {
    const pom = files.read(join(dir, 'pom.xml'));
    if (pom === null) return null;
    const text = pom.replace(/<!--[\s\S]*?-->/g, '').replace(/<profiles>[\s\S]*?<\/profiles>/g, '');
    for (const m of text.matchAll(/<(maven\.compiler\.(?:source|target|release)|java\.version|source|target|release)>\s*([^<]*?)\s*<\/\1>/g)) {
      const value = major(m[2]);
      if (value !== null) values.push({ major: value, from: `pom.xml (${m[1]})` });
    }
  } else {
    for (const name of ['build.gradle.kts', 'build.gradle']) {
      const script = files.read(join(dir, name));
      if (script === null) continue;
      for (const m of script.matchAll(/\b(sourceCompatibility|targetCompatibility|jvmTarget|languageVersion|release)\b[^\n\d]{0,40}?(?:VERSION_)?(1[._]\d|\d{1,2})\b/g)) {
        const value = major(m[2].replace('_', '.'));
        if (value !== null) values.push({ major: value, from: `${name} (${m[1]})` });
      }
      break;
    }
  }
  if (values.length === 0) return null;
  return values.reduce((a, b) => (b.major > a.major ? b : a));
}

/** The long-term Java releases whose Temurin images are published and patched. */
export const LTS_RELEASES = [8, 11, 17, 21, 25];
