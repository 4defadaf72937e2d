/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // TS (ours) and JS (the ESM-only deps below) -> CommonJS, transpile-only;
    // type checking is `npm run typecheck`.
    '^.+\\.[jt]s$': ['ts-jest', { tsconfig: { module: 'CommonJS', allowJs: true } }],
  },
  // node_modules is not transformed, except the ESM-only packages:
  transformIgnorePatterns: ['/node_modules/(?!(p-retry|is-network-error)/)'],
  moduleNameMapper: {
    '^obs-axios-policies$': '<rootDir>/src/index.ts',
    '^obs-axios-policies/testing$': '<rootDir>/src/testing/index.ts',
    // NodeNext-style "./x.js" specifiers -> "./x" (ts source)
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 20000,
};
