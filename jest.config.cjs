/**
 * Four projects: everything but test/e2e once, test/e2e twice, once per
 * axios adapter (the `e2e:http` / `e2e:fetch` matrix), and the breaker's tests
 * on opossum 10 (`opossum-10`). The harness reads the
 * adapter from OBS_TEST_ADAPTER, which each e2e project's setup file sets.
 */

/** What every project shares: how TypeScript and the ESM-only deps are loaded. */
const shared = {
  testEnvironment: 'node',
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
    '^obs-axios-policies/sign$': '<rootDir>/src/sign/index.ts',
    // NodeNext-style "./x.js" specifiers -> "./x" (ts source)
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

/** One leg of the end-to-end matrix: every test/e2e test on one axios adapter. */
function e2eProject(adapter) {
  return {
    ...shared,
    displayName: `e2e:${adapter}`,
    rootDir: __dirname,
    roots: ['<rootDir>/test/e2e'],
    testMatch: ['**/*.test.ts'],
    setupFiles: [`<rootDir>/test/setup/adapter-${adapter}.ts`],
  };
}

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      // The e2e tests run in the adapter matrix below, not here.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
    },
    e2eProject('http'),
    e2eProject('fetch'),
    {
      // The breaker's tests once more on opossum 10 (the dependency range is ^9 || ^10).
      ...shared,
      displayName: 'opossum-10',
      rootDir: __dirname,
      roots: ['<rootDir>/test/breaker'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/test/setup/opossum-10.ts'],
      moduleNameMapper: {
        '^opossum$': '<rootDir>/node_modules/opossum-10',
        '^opossum/package\\.json$': '<rootDir>/node_modules/opossum-10/package.json',
        ...shared.moduleNameMapper,
      },
    },
  ],
  // A global option (jest ignores it inside a project), so it stays here.
  testTimeout: 20000,
};
