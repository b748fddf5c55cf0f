import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { gradleRelease, mavenRelease, projectJavaRelease } from '../../../server/src/fixes/multistage/javaRelease';
import { LanguageService } from '../../../server/src/service';
import { config, fakeFiles } from '../../helpers/check';
import { conversionProblems } from '../../helpers/multistage';

const pom = (body: string) => `<?xml version="1.0"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n${body}\n</project>\n`;

describe('the Java release a project compiles for', () => {
  describe('pom.xml', () => {
    it('reads the compiler release, from the property or from Spring Boot 3', () => {
      assert.deepEqual(mavenRelease(pom('<properties><maven.compiler.release>21</maven.compiler.release><java.version>17</java.version></properties>')), { major: 21, from: 'pom.xml (maven.compiler.release)' });
      const boot = (version: string) => pom(`<parent>\n  <groupId>org.springframework.boot</groupId>\n  <artifactId>spring-boot-starter-parent</artifactId>\n  <version>${version}</version>\n</parent>\n<properties><java.version>17</java.version></properties>`);
      assert.deepEqual(mavenRelease(boot('3.3.4')), { major: 17, from: 'pom.xml (java.version, Spring Boot 3)' });
      assert.equal(mavenRelease(boot('2.7.18')), null, 'Spring Boot 2 passes java.version as source and target only');
    });

    it('does not take source or target alone: a newer JDK compiling for an older target can call methods the older runtime lacks', () => {
      assert.equal(mavenRelease(pom('<properties>\n  <maven.compiler.source>1.8</maven.compiler.source>\n  <maven.compiler.target>1.8</maven.compiler.target>\n</properties>')), null);
      assert.equal(mavenRelease(pom('<properties><java.version>17</java.version></properties>')), null, 'java.version without Spring Boot 3 is only a property');
    });

    it('reads the compiler plugin, resolving a property it names', () => {
      const text = pom(`<properties><jdk>21</jdk></properties>
  <build><plugins>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><configuration><release>8</release></configuration></plugin>
    <plugin>
      <groupId>org.apache.maven.plugins</groupId>
      <artifactId>maven-compiler-plugin</artifactId>
      <configuration><release>\${jdk}</release></configuration>
    </plugin>
  </plugins></build>`);
      assert.deepEqual(mavenRelease(text), { major: 21, from: 'pom.xml (maven-compiler-plugin release)' });
    });

    it('ignores comments and profiles, and does not choose between different values', () => {
      assert.deepEqual(mavenRelease(pom('<!-- <properties><maven.compiler.release>8</maven.compiler.release></properties> -->\n<properties><maven.compiler.release>17</maven.compiler.release></properties>\n<profiles><profile><build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId><configuration><release>11</release></configuration></plugin></plugins></build></profile></profiles>')), { major: 17, from: 'pom.xml (maven.compiler.release)' });
      const twoReleases = pom('<build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId><executions><execution><configuration><release>8</release></configuration></execution><execution><configuration><release>11</release></configuration></execution></executions></plugin></plugins></build>');
      assert.equal(mavenRelease(twoReleases), null);
    });

    it('names only releases with a Temurin JRE image, and nothing it cannot read', () => {
      for (const value of ['16', '1.7', '${undefined.property}', '[17,21)', '']) {
        assert.equal(mavenRelease(pom(`<properties><maven.compiler.release>${value}</maven.compiler.release></properties>`)), null, value);
      }
      assert.equal(mavenRelease(pom('<dependencies/>')), null);
    });
  });

  describe('Gradle build scripts', () => {
    it('reads a toolchain, then options.release', () => {
      assert.deepEqual(gradleRelease("java {\n  toolchain {\n    languageVersion = JavaLanguageVersion.of(21)\n  }\n}\ntasks.withType(JavaCompile) { options.release = 17 }\n", 'build.gradle'), { major: 21, from: 'build.gradle (toolchain)' });
      assert.deepEqual(gradleRelease('java {\n    toolchain {\n        languageVersion.set(JavaLanguageVersion.of("17"))\n    }\n}\n', 'build.gradle.kts'), { major: 17, from: 'build.gradle.kts (toolchain)' });
      assert.deepEqual(gradleRelease('kotlin {\n    jvmToolchain(17)\n}\n', 'build.gradle.kts'), { major: 17, from: 'build.gradle.kts (toolchain)' });
      assert.deepEqual(gradleRelease('tasks.withType<JavaCompile> {\n    options.release.set(11)\n}\n', 'build.gradle.kts'), { major: 11, from: 'build.gradle.kts (options.release)' });
    });

    it('does not take source or target compatibility alone', () => {
      assert.equal(gradleRelease("sourceCompatibility = JavaVersion.VERSION_1_8\ntargetCompatibility = JavaVersion.VERSION_1_8\n", 'build.gradle'), null);
      assert.equal(gradleRelease("group = 'com.example'\nsourceCompatibility = '17'\n", 'build.gradle'), null);
    });

    it('ignores comments but keeps URLs, and does not choose between different values', () => {
      assert.deepEqual(gradleRelease("repositories { maven { url 'https://repo.example.com/java' } }\n// java.toolchain.languageVersion = JavaLanguageVersion.of(8)\n/* kotlin { jvmToolchain(11) } */\njava.toolchain.languageVersion = JavaLanguageVersion.of(17) // LTS\n", 'build.gradle'), { major: 17, from: 'build.gradle (toolchain)' });
      assert.equal(gradleRelease("project(':a') { java.toolchain.languageVersion = JavaLanguageVersion.of(11) }\nproject(':b') { java.toolchain.languageVersion = JavaLanguageVersion.of(17) }\n", 'build.gradle'), null);
      assert.equal(gradleRelease("plugins { id 'java' }\n", 'build.gradle'), null);
    });
  });

  it('reads the build file of the tool the Dockerfile runs, beside the Dockerfile', () => {
    const files = fakeFiles({ '/w/pom.xml': pom('<properties><maven.compiler.release>21</maven.compiler.release></properties>'), '/w/build.gradle': 'kotlin { jvmToolchain(11) }\n' });
    assert.equal(projectJavaRelease(files, '/w', 'maven')?.major, 21);
    assert.equal(projectJavaRelease(files, '/w', 'gradle')?.major, 11);
    assert.equal(projectJavaRelease(files, null, 'maven'), null);
    assert.equal(projectJavaRelease(files, '/elsewhere', 'maven'), null);
  });
});

describe('converting a Java image whose tag does not name the JDK', () => {
  const dockerfile = 'FROM maven:latest\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD ["java", "-jar", "target/app.jar"]\n';
  const convert = (text: string, files: Record<string, string>) => {
    const service = new LanguageService({ docsBase: 'file:///docs', files: fakeFiles(files) });
    const file = { uri: pathToFileURL('/work/app/Dockerfile').href, text, kind: 'dockerfile' as const };
    const finding = service.lint(file, config()).find((f) => f.rule === 'prefer-multi-stage');
    const fix = finding ? service.fixFor(file, finding) : undefined;
    return { service, file, output: fix?.edits[0].newText };
  };

  it('runs on the JRE of the release pom.xml compiles for, and says where that came from', () => {
    const { service, file, output } = convert(dockerfile, { '/work/app/pom.xml': pom('<properties><maven.compiler.release>17</maven.compiler.release></properties>') });
    assert.ok(output, 'a conversion is offered');
    assert.match(output, /^FROM maven:latest AS build$/m);
    assert.match(output, /^FROM eclipse-temurin:17-jre$/m);
    assert.match(output.replace(/\n#\s{2,}/g, ' '), /^# The image's tag does not name its JDK: Java 17 is the release the project compiles for, from pom\.xml \(maven\.compiler\.release\)\.$/m);
    assert.deepEqual(conversionProblems(service, file, output), []);
  });

  it('keeps the variant of the build image (alpine) for Gradle', () => {
    const text = 'FROM gradle:7.4-jdk-alpine\nWORKDIR /app\nCOPY ./ ./\nRUN gradle clean build --no-daemon\nCMD java -jar build/libs/*.jar\n';
    const { service, file, output } = convert(text, { '/work/app/build.gradle': "plugins { id 'java' }\njava { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n" });
    assert.ok(output, 'a conversion is offered');
    assert.match(output, /^FROM eclipse-temurin:17-jre-alpine$/m);
    assert.deepEqual(conversionProblems(service, file, output), []);
  });

  it('offers nothing when the build file is missing or does not say', () => {
    assert.equal(convert(dockerfile, {}).output, undefined);
    assert.equal(convert(dockerfile, { '/work/app/pom.xml': pom('<dependencies/>') }).output, undefined);
    assert.equal(convert(dockerfile, { '/work/app/build.gradle': 'kotlin { jvmToolchain(17) }\n' }).output, undefined, 'Maven builds do not read build.gradle');
  });

  it('pins build and runtime to one JDK when the project only declares a source or target level', () => {
    const { service, file, output } = convert(dockerfile, { '/work/app/pom.xml': pom('<properties><maven.compiler.target>17</maven.compiler.target></properties>') });
    assert.match(output!, /^FROM maven:3-eclipse-temurin-21 AS build$/m);
    assert.match(output!, /^FROM eclipse-temurin:21-jre$/m);
    assert.deepEqual(conversionProblems(service, file, output!), []);
    // A level newer than any JDK known to the conversion: nothing is pinned.
    assert.equal(convert(dockerfile, { '/work/app/pom.xml': pom('<properties><maven.compiler.target>30</maven.compiler.target></properties>') }).output, undefined);
  });
});
