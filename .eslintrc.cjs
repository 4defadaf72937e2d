/** @type {import('eslint').Linter.LegacyConfig} */
module.exports = {
  root: true,
  env: { node: true, es2022: true },
  parser: '@typescript-eslint/parser',
  parserOptions: {
    project: './tsconfig.json',
    tsconfigRootDir: __dirname,
    sourceType: 'module',
    ecmaVersion: 2022,
  },
  plugins: ['@typescript-eslint'],
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/strict-type-checked',
    'plugin:@typescript-eslint/stylistic-type-checked',
  ],
  rules: {
    '@typescript-eslint/consistent-type-imports': 'error',
    '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    'no-console': ['error', { allow: ['warn', 'error'] }],
  },
  ignorePatterns: ['dist/', 'coverage/', 'node_modules/', '*.cjs', '*.mjs', '*.config.ts'],
  overrides: [
    { files: ['test/**/*.ts'], env: { jest: true } },
    // Examples, the demo, benchmarks and scripts are programs: printing is their job.
    { files: ['examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/soak/**/*.ts'], rules: { 'no-console': 'off' } },
  ],
};
