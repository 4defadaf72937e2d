/**
 * Two builds of the same four entries (`.`, `./testing`, `./sign`, `./redis`), and one declaration build:
 *
 * - ESM (`dist/*.js`): every dependency stays external, p-retry included.
 * - CJS (`dist/*.cjs`): the ESM-only dependencies (p-retry and its is-network-error) are bundled
 *   in, so `require('obs-axios-policies')` works on every Node line `engines` claims, including
 *   21.x and 22.0–22.11, where `require()` of an ES module throws ERR_REQUIRE_ESM. The cost: CJS
 *   users carry a private copy of p-retry (about 7 KB of index.cjs). The package exposes no
 *   p-retry class, and an error thrown by user code inside an attempt (a sign hook) reaches the
 *   caller untouched by either copy.
 * - Declarations (`dist/*.d.ts`, `dist/*.d.cts`, and a shared chunk of types): one run for both.
 *
 * No source maps ship: the output is not minified (names, structure and line layout follow
 * src/), maps were 62 % of the unpacked tarball, and their sources would point into src/, which
 * does not ship. The build script empties `dist/` first, because configs cleaning the same folder
 * at once would race.
 */
import { defineConfig, type Options } from 'tsup';

/** The ES modules that CommonJS cannot `require()` on every Node line `engines` allows. */
const ESM_ONLY_DEPENDENCIES = ['p-retry', 'is-network-error'];

const shared: Options = {
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', sign: 'src/sign/index.ts', redis: 'src/redis/index.ts' },
  sourcemap: false,
  clean: false,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
};

export default defineConfig([
  { ...shared, format: ['esm'] },
  { ...shared, format: ['cjs'], noExternal: ESM_ONLY_DEPENDENCIES },
  // One declaration build for both formats (`.d.ts` and `.d.cts`), instead of one per format.
  { ...shared, format: ['esm', 'cjs'], dts: { only: true } },
]);
