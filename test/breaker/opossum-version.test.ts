/**
 * Which opossum the breaker tests run on: the `unit` project loads the
 * dependency as installed (9.x), the `opossum-10` project maps `opossum` to
 * 10.x. Both run the same breaker tests; this one shows the mapping took.
 */
import { describe, expect, it } from '@jest/globals';
import opossumPackage from 'opossum/package.json' with { type: 'json' };

describe('opossum under test', () => {
  it('is the major the jest project expects', () => {
    const expected = process.env.OBS_EXPECT_OPOSSUM_MAJOR ?? '9';
    expect((opossumPackage as { version: string }).version.split('.')[0]).toBe(expected);
  });
});
