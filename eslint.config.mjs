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
      'no-restricted-imports': ['error', { paths: [...databaseImports, ...csvWriterImports] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/db/**', '**/*repository.ts', 'migrations/**', 'knexfile.ts', 'test/**', 'bench/**'],
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
