/**
 * Rewrites the generated sections of README.md from the code (run from the package root).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderPrintedError } from './readme-printed-error.js';
import { applyGeneratedSections } from './readme-sections.js';

const readmePath = path.resolve('README.md');
const before = readFileSync(readmePath, 'utf8');
const after = applyGeneratedSections(before, { 'printed-error': await renderPrintedError() });
if (after !== before) writeFileSync(readmePath, after);
console.log(after !== before ? 'README.md: generated sections updated' : 'README.md: generated sections up to date');
