/**
 * The README's printed error: a real call against the local OBS server that
 * ends in a NetworkError, signed with a secret `Authorization` and sent to a
 * presigned-style URL, printed by `util.inspect` (what `console.error` prints).
 * Only the parts that differ per run are normalised: the port, stack frames.
 */
import axios from 'axios';
import util from 'node:util';
import { attachObsPolicies } from '../src/index.js';
import { createObsServer } from '../src/testing/index.js';

/** Stack frames are machine paths: one `at …` line stands for all of them. */
function collapseStacks(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const frame = /^(\s+)at /.exec(line);
    if (frame === null) {
      out.push(line);
      continue;
    }
    // The last frame of an error with own properties ends with ` {`: keep the brace.
    const placeholder = `${frame[1] ?? ''}at …${line.endsWith(' {') ? ' {' : ''}`;
    const previous = out.at(-1);
    if (previous !== undefined && /^\s+at …/.test(previous)) out[out.length - 1] = placeholder;
    else out.push(placeholder);
  }
  return out.join('\n');
}

/** Makes the call and returns the normalised `util.inspect` of its rejection, as a Markdown code block. */
export async function renderPrintedError(): Promise<string> {
  const server = await createObsServer();
  try {
    server.createBucket('photos');
    const client = axios.create({ baseURL: server.url, adapter: 'http' });
    const handle = attachObsPolicies(client, {
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
      sign: (config) => {
        config.headers.set('Authorization', 'OBS AKEXAMPLE:c2VjcmV0LXNpZ25hdHVyZQ==');
        return config;
      },
    });
    server.enqueue({ reset: 'before-head', times: 2 });
    let printed = '';
    try {
      await client.get('/photos/cat.jpg', { params: { Signature: 'presigned-secret' } });
    } catch (error) {
      printed = util.inspect(error);
    } finally {
      handle.detach();
    }
    const text = collapseStacks(printed).split(`:${String(server.port)}`).join(':9000');
    return ['```text', text, '```'].join('\n');
  } finally {
    await server.close();
  }
}
