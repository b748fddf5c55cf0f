import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/exec-form-valid';
import execFormCmd from '../../../server/src/rules/dockerfile/exec-form-cmd';
import { looseArray } from '../../../server/src/dockerfile/syntax';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('exec-form-valid', () => {
  it('flags JSON-looking forms that are not JSON', () => check(`
    FROM node:22-alpine
    CMD ['node', 'a.js']
        ~~~~~~~~~~~~~~~~ exec-form-valid
    RUN ["apk", "add", "curl",]
        ~~~~~~~~~~~~~~~~~~~~~~~ exec-form-valid
    ENTRYPOINT ["C:\\app\\run.exe"]
               ~~~~~~~~~~~~~~~~~~ exec-form-valid
    COPY ['a', '/b/']
         ~~~~~~~~~~~~ exec-form-valid
    HEALTHCHECK --interval=5s CMD ['curl', '-f', 'http://localhost/']
                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ exec-form-valid
    ENTRYPOINT ["app"] # a comment
               ~~~~~~~~~~~~~~~~~~~ exec-form-valid
    CMD ["a", 1]
        ~~~~~~~~ exec-form-valid
  `));

  it('leaves valid JSON and shell tests alone', () => check(`
    FROM alpine:3.20
    CMD ["node", "a.js"]
    RUN [ -f /etc/os-release ] && echo ok
    RUN [ "$A" = b ] || exit 1
    CMD [ ]
    VOLUME ["/data"]
  `));

  it('says what BuildKit does instead', () => {
    const [finding] = findingsOf(rule, 'dockerfile', "FROM alpine\nCMD ['node', 'a.js']\n");
    assert.match(finding.message, /JSON needs double quotes/);
    assert.match(finding.message, /command named `\['node',`/);
  });

  it('reads the intended strings leniently', () => {
    assert.deepEqual(looseArray("['a', 'b']")?.strings, ['a', 'b']);
    assert.deepEqual(looseArray('[“a”, “b”]')?.strings, ['a', 'b']);
    assert.equal(looseArray('[ -f x ]'), null);
    assert.equal(looseArray('[]'), null);
  });

  it('is not reported twice with exec-form-cmd', () => {
    const text = "FROM debian:12\nCMD ['node', 'a.js']\n";
    assert.equal(findingsOf(rule, 'dockerfile', text).length, 1);
    assert.equal(findingsOf(execFormCmd, 'dockerfile', text).length, 0);
  });

  it('fix: writes the JSON array it meant', () => {
    assert.deepEqual(applyFix(rule, 'dockerfile', "FROM alpine\nCMD ['node', 'a.js']\n"), { text: 'FROM alpine\nCMD ["node", "a.js"]\n', title: 'Write the exec form as JSON', safe: true });
    assert.deepEqual(applyFix(rule, 'dockerfile', 'FROM alpine\nCMD ["C:\\app"]\n')?.text, 'FROM alpine\nCMD ["C:\\\\app"]\n');
    // A trailing `# note` moves to its own line above; other trailing text gets no fix.
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine\nCMD ["app"] # start it\n')?.text, 'FROM alpine\n# start it\nCMD ["app"]\n');
    assert.equal(applyFix(rule, 'dockerfile', 'FROM alpine\nCMD ["app"] && echo\n'), undefined);
  });
});
