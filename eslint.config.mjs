import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Repositories are the only code that talks to the database (type imports are fine anywhere).
const databaseImports = [
  {
    name: 'knex',
    allowTypeImports: true,
    message: 'Only repositories (*repository.ts) and src/db/ may use knex.',
  },
  { name: 'pg', allowTypeImports: true, message: 'Only src/db/ may use pg.' },
];

// Every CSV file the service writes goes through one writer, which neutralises formulas.
const csvWriterImports = ['csv-stringify', 'csv-stringify/sync'].map((name) => ({
  name,
  message: 'Write CSV with toCsv from src/files/csv/writer.ts: it neutralises cells a spreadsheet would run.',
}));

// A feature's repository is private to its feature (src/<feature>/*repository.ts). Another feature asks
// through that feature's service, or a small read-only read model it exports (docs/architecture.md); a
// repository's row types may still be named (type imports). The demo seed, which writes fixed reference
// data as a migration would, is the one exception.
const otherFeatureRepositories = {
  regex: '^(\\.\\./)+[a-z-]+/[a-z-]*repository$',
  allowTypeImports: true,
  message:
    "Another feature's repository is private to it: use that feature's service or read model (docs/architecture.md).",
};

// An Executor is opaque: only repositories (and src/db) may open it into a query builder.
const executorOpening = {
  regex: '^(\\.\\./)+db/query$',
  message: 'Only repositories (*repository.ts) and src/db/ may open an Executor into queries.',
};

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'public/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...databaseImports, ...csvWriterImports],
          patterns: [otherFeatureRepositories, executorOpening],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/db/**', '**/*repository.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: csvWriterImports, patterns: [otherFeatureRepositories] }],
    },
  },
  {
    files: ['migrations/**', 'knexfile.ts', 'test/**', 'bench/**', 'src/demo/**'],
    rules: { 'no-restricted-imports': ['error', { paths: csvWriterImports }] },
  },
  {
    files: ['src/files/csv/writer.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: databaseImports }] },
  },
  {
    files: ['**/*.test.ts', 'test/**'],
    rules: {
      // Tests assert on untyped JSON bodies and rows, and mutate fixtures to make each bad case.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  prettier,
);
