// Shim: ESLint >= 10 only reads flat config; the rules live in .eslintrc.cjs.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import js from '@eslint/js';
import { FlatCompat } from '@eslint/eslintrc';

const baseDirectory = path.dirname(fileURLToPath(import.meta.url));
const compat = new FlatCompat({ baseDirectory, recommendedConfig: js.configs.recommended });
const legacy = createRequire(import.meta.url)('./.eslintrc.cjs');

export default compat.config(legacy);
