/** Where things are, from this folder. */
import path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** The built package entry the obs clients import. */
export const DIST_ENTRY = path.join(REPO_ROOT, 'dist', 'index.js');

/** The package sources the build is compared against. */
export const SRC_DIR = path.join(REPO_ROOT, 'src');

/** The OBS server process script. */
export const SERVER_SCRIPT = path.join(REPO_ROOT, 'bench', 'peers', 'server', 'server-main.ts');

/** The plain `node:http` server of the alternating overhead setup. */
export const PLAIN_SERVER_SCRIPT = path.join(REPO_ROOT, 'bench', 'peers', 'alternating', 'plain-server-main.ts');

/** The one client process of the alternating overhead setup. */
export const ALTERNATING_SCRIPT = path.join(REPO_ROOT, 'bench', 'peers', 'alternating', 'alternating-main.ts');

/** The client process script. */
export const CLIENT_SCRIPT = path.join(REPO_ROOT, 'bench', 'peers', 'client', 'client-main.ts');
