// The core never sees the LSP connection: only server.ts and lsp/ may import vscode-languageserver.
// No ambient authority: the extension and the server start no process, open no socket and
// evaluate no code; they only read files (see server/src/files.ts for which ones).
import tseslint from 'typescript-eslint';

const authority = ['child_process', 'node:child_process', 'http', 'node:http', 'https', 'node:https', 'net', 'node:net', 'http2', 'node:http2', 'tls', 'node:tls', 'dgram', 'node:dgram', 'worker_threads', 'node:worker_threads', 'vm', 'node:vm'];
const authorityMessage = 'No ambient authority: the extension and the server start no process, open no network connection and evaluate no code.';
const noAuthorityPaths = authority.map((name) => ({ name, message: authorityMessage }));
const noEval = [
  { selector: "CallExpression[callee.name='eval']", message: authorityMessage },
  { selector: "NewExpression[callee.name='Function']", message: authorityMessage },
  { selector: "CallExpression[callee.name='Function']", message: authorityMessage },
];

export default tseslint.config(
  { ignores: ['dist/**', 'packages/cli/dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', '**/*.mjs', '**/*.cjs', '**/*.generated.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['client/src/**/*.ts', 'server/src/**/*.ts'],
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-syntax': ['error', ...noEval],
      'no-restricted-imports': ['error', { paths: noAuthorityPaths }],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/server.ts', 'server/src/lsp/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: noAuthorityPaths,
        patterns: [{ group: ['vscode-languageserver', 'vscode-languageserver/*'], message: 'The core never sees the connection: use vscode-languageserver-types, and keep LSP wiring in server.ts and lsp/.' }],
      }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
