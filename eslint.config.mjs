// The core never sees the LSP connection: only server.ts and lsp/ may import vscode-languageserver.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/server.ts', 'server/src/lsp/**'],
    rules: {
      'no-restricted-imports': ['error', {
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
