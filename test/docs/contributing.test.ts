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
    expect(readText('.ci/run')).toMatch(/npm ci[\s\S]*npm test/);
    expect(contributing).toContain('`.ci/run`');
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
