/**
 * Which axios adapter this run of the e2e tests uses. The jest projects
 * `e2e:http` and `e2e:fetch` set OBS_TEST_ADAPTER in their setup file
 * (test/setup/adapter-*.ts), so every e2e test runs once per adapter. The
 * `unit` project sets none: there the harness has no adapter, and asking it
 * for a matrix client throws (see {@link readTestAdapter}).
 */

/** The axios adapters the e2e matrix covers. */
export type TestAdapter = 'http' | 'fetch';

const ADAPTERS: readonly TestAdapter[] = ['http', 'fetch'];

function isTestAdapter(value: string | undefined): value is TestAdapter {
  return ADAPTERS.includes(value as TestAdapter);
}

/**
 * Reads OBS_TEST_ADAPTER. A missing or unknown value throws instead of falling
 * back to http: a silent default would let a misconfigured project run only
 * one leg of the matrix while looking green.
 * @throws Error when OBS_TEST_ADAPTER is not `http` or `fetch`
 */
export function readTestAdapter(env: NodeJS.ProcessEnv = process.env): TestAdapter {
  const value = env.OBS_TEST_ADAPTER;
  if (isTestAdapter(value)) return value;
  throw new Error(
    `OBS_TEST_ADAPTER is ${value === undefined ? 'not set' : `"${value}"`}; the e2e tests run through the jest projects e2e:http and e2e:fetch (see jest.config.cjs).`,
  );
}
