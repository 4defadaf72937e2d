/**
 * CONTRIBUTING.md follows the repository: every npm script, every folder of
 * src/, CI's commands; and package.json still ships the README and the licence.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readText, root } from './doc-files.js';

const contributing = readText('CONTRIBUTING.md');
const pkg = JSON.parse(readText('package.json')) as { scripts: Record<string, string>; files: string[] };

describe('CONTRIBUTING.md', () => {
  it('shows every npm script', () => {
    for (const script of Object.keys(pkg.scripts)) {
      expect(contributing).toContain(script === 'test' ? '`npm test`' : `\`npm run ${script}\``);
    }
    expect(contributing).toContain('`npm ci`');
  });

  it('says what CI runs, as .ci/run does it', () => {
    const ci = readText('.ci/run');
    expect(ci).toMatch(/npm ci[\s\S]*apt-get install[\s\S]*npm run test:all/);
    for (const pkgName of ['chromium', 'redis-server']) expect(ci).toContain(`command -v ${pkgName}`);
    expect(contributing).toContain('`.ci/run`');
  });

  it('names the steps of `npm test` in the order package.json runs them, and the slow steps of `npm run test:all`', () => {
    const paragraph = contributing.slice(contributing.indexOf('`npm test` runs, in order:'));
    const steps = (pkg.scripts.test ?? '').split('&&').map((step) => `\`${step.trim()}\``);
    expect(steps.length).toBeGreaterThan(5);
    const positions = steps.map((step) => paragraph.indexOf(step));
    expect(positions.filter((position) => position < 0)).toEqual([]);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    const testAll = readText('scripts/test-all.mjs');
    const slowList = testAll.slice(testAll.indexOf('const SLOW_STEPS'), testAll.indexOf('];', testAll.indexOf('const SLOW_STEPS')));
    const slowSteps = [...slowList.matchAll(/args: \[([^\]]*)\], timeoutMs/g)].map((match) =>
      [...(match[1] ?? '').matchAll(/'([^']*)'/g)].map((arg) => arg[1]).join(' '),
    );
    expect(slowSteps.length).toBeGreaterThanOrEqual(5);
    for (const step of slowSteps) expect(paragraph).toContain(`\`npm ${step}\``);
  });

  it('has one line for every folder of src/', () => {
    const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((folder) => !contributing.includes(`\n- \`${folder}/\` — `))).toEqual([]);
  });

  it('describes the test layout and the adapter matrix', () => {
    expect(contributing).toContain('`test/` mirrors `src/`');
    for (const project of ['e2e:http', 'e2e:fetch']) expect(contributing).toContain(project);
  });
});

describe('package.json', () => {
  it('ships the README and the licence', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['README.md', 'LICENSE']));
  });
});
