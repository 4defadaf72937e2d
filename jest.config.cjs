/**
 * Seven projects:
 * - `unit`: everything under test/ but the folders and files the others take;
 * - `e2e:http` / `e2e:fetch`: test/e2e twice, once per axios adapter (the matrix);
 * - `pacing:http`: test/pacing once, on the http adapter (pacing works above the
 *   adapter, so the matrix would only run it twice);
 * - `opossum-10`: the breaker's tests on opossum 10;
 * - `ioredis-5`: the fleet store's tests (test/redis, test/fleet) once more, with ioredis 5 as the
 *   user's client;
 * - `slow`: what needs Debian's Chromium or spawns a process per README block.
 * `npm test` leaves `slow` and `ioredis-5` out (`--ignoreProjects`); `npm run test:all` runs them
 * (`npm run test:slow`).
 * The harness reads the adapter from OBS_TEST_ADAPTER, which the setup file of
 * each project with an adapter sets.
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
    '^obs-axios-policies/redis$': '<rootDir>/src/redis/index.ts',
    // NodeNext-style "./x.js" specifiers -> "./x" (ts source)
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

/** Every test of `folder` (under test/) on one axios adapter, as the project `name`. */
/** Fixes fast-check's seed in every project (test/setup/fast-check.ts). */
const FAST_CHECK_SETUP = '<rootDir>/test/setup/fast-check.ts';

function adapterProject(name, folder, adapter) {
  return {
    ...shared,
    displayName: name,
    rootDir: __dirname,
    roots: [`<rootDir>/test/${folder}`],
    testMatch: ['**/*.test.ts'],
    setupFiles: [FAST_CHECK_SETUP, `<rootDir>/test/setup/adapter-${adapter}.ts`],
  };
}

/** One leg of the end-to-end matrix: every test/e2e test on one axios adapter. */
function e2eProject(adapter) {
  return adapterProject(`e2e:${adapter}`, 'e2e', adapter);
}

/** The tests of the `slow` project (`npm run test:all` only): real Chromium, and tsx spawned per README block. */
const SLOW_TESTS = ['<rootDir>/test/browser/chromium.test.ts', '<rootDir>/test/docs/readme-snippets.test.ts'];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      setupFiles: [FAST_CHECK_SETUP],
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      // The e2e and pacing tests run on an adapter below, the slow ones in their own project.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/pacing/', ...SLOW_TESTS],
    },
    e2eProject('http'),
    e2eProject('fetch'),
    adapterProject('pacing:http', 'pacing', 'http'),
    {
      // The breaker's tests once more on opossum 10 (the dependency range is ^9 || ^10).
      ...shared,
      displayName: 'opossum-10',
      rootDir: __dirname,
      roots: ['<rootDir>/test/breaker'],
      testMatch: ['**/*.test.ts'],
      setupFiles: [FAST_CHECK_SETUP, '<rootDir>/test/setup/opossum-10.ts'],
      moduleNameMapper: {
        '^opossum$': '<rootDir>/node_modules/opossum-10',
        '^opossum/package\\.json$': '<rootDir>/node_modules/opossum-10/package.json',
        ...shared.moduleNameMapper,
      },
    },
    {
      // The fleet store's tests once more with ioredis 5 as the user's client (the peer range is ^5.4 || ^6).
      ...shared,
      displayName: 'ioredis-5',
      rootDir: __dirname,
      roots: ['<rootDir>/test/redis', '<rootDir>/test/fleet'],
      testMatch: ['**/*.test.ts'],
      setupFiles: [FAST_CHECK_SETUP],
      moduleNameMapper: {
        '^ioredis$': '<rootDir>/node_modules/ioredis-5',
        ...shared.moduleNameMapper,
      },
    },
    {
      ...shared,
      displayName: 'slow',
      setupFiles: [FAST_CHECK_SETUP],
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: SLOW_TESTS,
    },
  ],
  // A global option (jest ignores it inside a project), so it stays here.
  testTimeout: 20000,
};
