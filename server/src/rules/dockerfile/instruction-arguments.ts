import type { Range } from 'vscode-languageserver-types';
import { dockerfileRule, type Reporter } from '../types';
import type { DockerInstruction, DockerfileModel } from '../../dockerfile/parse';
import { instructionWords, isJsonArray, looseArray } from '../../dockerfile/syntax';

/** BuildKit's stage names: a letter first, then letters, digits, `-`, `_` and `.` (compared lower-cased). */
const STAGE_NAME = /^[a-z][a-z0-9\-_.]*$/;

/**
 * The argument counts and forms BuildKit's parser rejects, each of which stops the build before
 * anything runs: `COPY` with no destination, `FROM` with nothing (or `AS` and no name), `EXPOSE`,
 * `WORKDIR`, `USER`… with nothing, a malformed `ENV`/`LABEL`/`ARG`, `HEALTHCHECK` without `CMD` or
 * `NONE`, `SHELL` not in JSON form. What BuildKit accepts (an empty `RUN` or `CMD`) is not reported.
 * https://docs.docker.com/reference/dockerfile/
 */
export default dockerfileRule({
  id: 'instruction-arguments',
  aliases: [
    'dockerfile-utils:2', 'dockerfile-utils:3', 'dockerfile-utils:4', 'dockerfile-utils:5', 'dockerfile-utils:6', 'dockerfile-utils:7',
    'dockerfile-utils:8', 'dockerfile-utils:9', 'dockerfile-utils:12', 'dockerfile-utils:20', 'dockerfile-utils:22', 'dockerfile-utils:31',
    'dockerfile-utils:32', 'dockerfile-utils:33', 'dockerfile-utils:34', 'dockerfile-utils:43', 'dockerfile-utils:46',
  ],
  title: 'Give each instruction the arguments it requires',
  category: 'correctness',
  severity: 'error',
  check({ dockerfile, report }) {
    for (const instruction of dockerfile.instructions) checkInstruction(dockerfile, instruction, { report });
  },
});

function checkInstruction(model: DockerfileModel, instruction: DockerInstruction, { report }: Reporter): void {
  const { keyword } = instruction;
  const { words, rest: args } = instructionWords(model, instruction);
  const at = instruction.keywordRange;
  const fail = (range: Range, what: string, fix: string) => report({ range, message: `${what}, so the build stops before it starts; ${fix}.` });
  // A JSON-looking list that is not JSON is exec-form-valid's finding; counting its words would report it twice.
  const brokenJson = args.startsWith('[') && !isJsonArray(args) && looseArray(args) !== null;
  switch (keyword) {
    case 'FROM': {
      if (words.length === 0) return fail(at, '`FROM` has no image', 'write the base image (`FROM alpine:3.20`) or `FROM scratch`');
      const as = words[1]?.text;
      if (words.length === 2 && /^as$/i.test(as)) return fail(words[1].range, '`AS` has no stage name after it', 'name the stage (`FROM … AS build`) or remove `AS`');
      if (words.length === 3 && /^as$/i.test(as)) {
        const name = words[2].text;
        if (!STAGE_NAME.test(name.toLowerCase())) {
          return fail(words[2].range, `\`${name}\` is not a valid stage name (it must start with a letter and hold only letters, digits, \`-\`, \`_\` and \`.\`)`, 'rename the stage');
        }
        return;
      }
      if (words.length !== 1) {
        const extra = words.length >= 2 && !/^as$/i.test(as) ? words[1] : words[words.length - 1];
        return fail(extra.range, `\`FROM\` takes an image and optionally \`AS <name>\`, not ${words.length} words`, words.length === 3 ? `write \`AS\` before the stage name` : 'remove the extra words');
      }
      return;
    }
    case 'COPY':
    case 'ADD': {
      if (brokenJson) return;
      const count = instruction.json ? instruction.json.length : words.length;
      if (count === 0) return fail(at, `\`${keyword}\` has no source and no destination`, `write \`${keyword} <source>… <destination>\``);
      if (count === 1) {
        const range = instruction.json ? instruction.argsRange ?? at : words[0].range;
        return fail(range, `\`${keyword}\` has a single argument and no destination`, `add where it goes in the image (\`${keyword} ${instruction.json ? '…' : words[0].text} /app/\`)`);
      }
      const last = words[words.length - 1];
      if (!instruction.json && /^\d*<<-?\S/.test(last.text)) return fail(last.range, `\`${keyword}\` takes a heredoc as its destination`, 'write the destination path after the heredoc (`COPY <<EOF /etc/app.conf`)');
      return;
    }
    case 'ENV':
    case 'LABEL':
      return checkNameValues(model, instruction, fail);
    case 'ARG': {
      if (words.length === 0) return fail(at, '`ARG` has no name', 'write `ARG NAME` or `ARG NAME=default`');
      const blank = words.find((w) => w.text.startsWith('='));
      if (blank) return fail(blank.range, `\`${blank.text}\` has no name before \`=\``, 'write the name before `=`');
      return;
    }
    case 'EXPOSE':
      if (words.length === 0) return fail(at, '`EXPOSE` has no port', 'write the port the application listens on (`EXPOSE 8080`) or remove the line');
      return;
    case 'VOLUME':
      if (brokenJson) return;
      if (instruction.json ? instruction.json.length === 0 : words.length === 0) return fail(at, '`VOLUME` has no path', 'write the path to mount (`VOLUME /data`) or remove the line');
      if (instruction.json?.some((v) => v.trim() === '')) return fail(instruction.argsRange ?? at, '`VOLUME` lists an empty path', 'remove the empty string');
      return;
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
    case 'MAINTAINER':
      if (words.length === 0) {
        const what = { WORKDIR: 'a directory (`WORKDIR /app`)', USER: 'a user (`USER app` or `USER 10001:10001`)', STOPSIGNAL: 'a signal (`STOPSIGNAL SIGTERM`)', MAINTAINER: 'a name' }[keyword];
        return fail(at, `\`${keyword}\` has no argument`, `write ${what} or remove the line`);
      }
      return;
    case 'ONBUILD':
      if (words.length === 0) return fail(at, '`ONBUILD` has no trigger instruction', 'write the instruction to run in child builds (`ONBUILD COPY . /app`) or remove the line');
      return;
    case 'HEALTHCHECK': {
      if (words.length === 0) return fail(at, '`HEALTHCHECK` has neither `CMD` nor `NONE`', 'write `HEALTHCHECK CMD <command>` or `HEALTHCHECK NONE`');
      const type = words[0].text.toUpperCase();
      if (type === 'NONE') {
        if (words.length > 1) return fail(words[1].range, '`HEALTHCHECK NONE` takes no arguments', 'remove what follows `NONE`');
        return;
      }
      if (type !== 'CMD') return fail(words[0].range, `\`${words[0].text}\` is not a HEALTHCHECK type (only \`CMD\` and \`NONE\` are)`, 'write `HEALTHCHECK CMD <command>`');
      const rest = args.replace(/^\S+/, '').trim();
      if (rest === '' || (isJsonArray(rest) && (JSON.parse(rest) as unknown[]).length === 0)) {
        return fail(words[0].range, '`HEALTHCHECK CMD` has no command', 'write the command that tests the container (`HEALTHCHECK CMD curl -fsS http://localhost:8080/health || exit 1`)');
      }
      return;
    }
    case 'SHELL': {
      if (brokenJson) return;
      if (words.length === 0 || (instruction.json && instruction.json.length === 0)) return fail(at, '`SHELL` has no shell', 'write it as a JSON array (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`)');
      if (!isJsonArray(args)) return fail(instruction.argsRange ?? at, '`SHELL` must be written as a JSON array', 'write it as a JSON array of strings (`SHELL ["/bin/bash", "-c"]`)');
      return;
    }
  }
}

/**
 * ENV and LABEL: `key=value` pairs, or the legacy `key value` (one pair, the value being the rest
 * of the line). BuildKit splits the words on blanks outside quotes.
 */
function checkNameValues(model: DockerfileModel, instruction: DockerInstruction, fail: (range: Range, what: string, fix: string) => void): void {
  const { keyword } = instruction;
  const { words, rest } = instructionWords(model, instruction);
  const at = instruction.keywordRange;
  if (words.length === 0) return fail(at, `\`${keyword}\` has nothing to set`, `write \`${keyword} NAME=value\` or remove the line`);
  const pairs = quotedWords(rest, model.escape);
  if (pairs.length === 0) return;
  if (!pairs[0].includes('=')) {
    if (pairs.length === 1) return fail(words[0].range, `\`${keyword} ${pairs[0]}\` has no value`, `write \`${keyword} ${pairs[0]}=<value>\``);
    return;
  }
  for (const pair of pairs) {
    const word = words.find((w) => w.text.startsWith(pair.split(/\s/)[0])) ?? words[0];
    if (!pair.includes('=')) return fail(word.range, `\`${pair}\` has no \`=\` in a line of \`name=value\` pairs`, `write \`${pair}=<value>\`, or quote the value before it if the space belongs to it`);
    if (pair.startsWith('=')) return fail(word.range, `\`${pair}\` has no name before \`=\``, 'write the name before `=`');
  }
}

/** Words split on blanks outside quotes, quotes kept, as BuildKit's parseWords does for ENV and LABEL. */
function quotedWords(text: string, escape: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === escape && quote !== "'" && i + 1 < text.length) {
      word += ch + text[i + 1];
      i++;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = null;
      word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      word += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    word += ch;
  }
  if (word) words.push(word);
  return words;
}
