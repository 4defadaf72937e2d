/**
 * The setups a README snippet can ask for with `<!-- snippet: setup NAME -->`:
 * the code around a fragment that uses names it does not define, so that it
 * runs offline against the package's own local OBS server. A prelude imports
 * under `setup`-prefixed aliases (so a snippet's own imports never clash with
 * them), except `attachObsPolicies`, which the quick start imports and the
 * fragments after it use as is; it declares exactly the names listed in
 * `provides`. An epilogue checks that the snippet did its job where it can,
 * then closes the server.
 */

/** The code placed around one snippet. */
export interface SnippetSetup {
  /** The names the snippet finds in scope, and what they hold. */
  readonly provides: string;
  /** Source placed before the snippet. */
  readonly prelude: string;
  /** Source placed after the snippet. */
  readonly epilogue: string;
}

/** A local OBS server that refuses whatever is not signed with AK/SK, holding photos/cat.jpg. */
const SIGNING_SERVER = `
import setupAxios from 'axios';
import { createObsServer as setupObsServer } from 'obs-axios-policies/testing';
const AK = 'AKREADME';
const SK = 'readme/secret+key';
const setupObs = await setupObsServer({ credentials: { accessKeyId: AK, secretAccessKey: SK } });
setupObs.putObject('photos', 'cat.jpg', 'meow');
`;

/** The quick start's own import, which the fragments after it use without repeating it. */
const ATTACH = `import { attachObsPolicies } from 'obs-axios-policies';`;

/** The end of every setup: the server closes (and with it every socket). */
const CLOSE_SERVER = `
await setupObs.close();
`;

/** Every setup, by the name its marker gives. */
export const SETUPS: Readonly<Record<string, SnippetSetup>> = {
  'unsigned-client': {
    provides: '`attachObsPolicies`, `client` (an axios instance on a local OBS server that checks signatures for `AK`/`SK`, no policies attached), `AK`, `SK`; afterwards `client` must read photos/cat.jpg, so the snippet must have attached a working signer',
    prelude: `${SIGNING_SERVER}
${ATTACH}
const client = setupAxios.create({ baseURL: setupObs.url, timeout: 10_000 });
`,
    epilogue: `
const setupRead = await client.get<string>('/photos/cat.jpg', { responseType: 'text', validateStatus: () => true });
if (setupRead.status !== 200 || setupRead.data !== 'meow') {
  throw new Error(\`setup unsigned-client: GET /photos/cat.jpg after the block answered \${setupRead.status}, so the block attached no working signer\`);
}
${CLOSE_SERVER}`,
  },
  'signed-client': {
    provides: '`client` (an axios instance on a local OBS server that checks signatures, with the policies and `obsSigner` attached), `presignedUrl` (an OBS presigned GET of photos/cat.jpg on that server)',
    prelude: `${SIGNING_SERVER}
import { createHmac as setupHmac } from 'node:crypto';
import { attachObsPolicies as setupAttach } from 'obs-axios-policies';
import { obsSigner as setupObsSigner } from 'obs-axios-policies/sign';
const client = setupAxios.create({ baseURL: setupObs.url, timeout: 10_000 });
const setupHandle = setupAttach(client, { sign: setupObsSigner({ accessKeyId: AK, secretAccessKey: SK }) });
const setupExpires = String(Math.floor(Date.now() / 1000) + 3600);
const setupSignature = setupHmac('sha1', SK).update(\`GET\\n\\n\\n\${setupExpires}\\n/photos/cat.jpg\`).digest('base64');
const presignedUrl = \`\${setupObs.url}/photos/cat.jpg?\${new URLSearchParams({ AccessKeyId: AK, Expires: setupExpires, Signature: setupSignature }).toString()}\`;
`,
    epilogue: `
setupHandle.detach();
${CLOSE_SERVER}`,
  },
  'plain-client': {
    provides: '`attachObsPolicies`, `client` (an axios instance on a local OBS server, no policies attached), `options` (`ObsPolicyOptions`), `metrics` (`increment(name, labels)`), `log` (`warn(message)`)',
    prelude: `
${ATTACH}
import setupAxios from 'axios';
import type { ObsPolicyOptions as SetupOptions } from 'obs-axios-policies';
import { createObsServer as setupObsServer } from 'obs-axios-policies/testing';
const setupObs = await setupObsServer();
const client = setupAxios.create({ baseURL: setupObs.url, timeout: 10_000 });
const options: SetupOptions = { retry: { retries: 2 } };
const metrics = { increment: (name: string, labels: Record<string, string>): void => void [name, labels] };
const log = { warn: (message: string): void => void message };
`,
    epilogue: CLOSE_SERVER,
  },
};
