/**
 * obs-axios-policies/sign: ready signers for the `sign` hook, for Node and
 * browsers (Web Crypto; no Node modules).
 *
 * - {@link sigV4Signer}: AWS Signature V4, service `s3` (which OBS accepts),
 *   on `@smithy/signature-v4`.
 * - {@link obsSigner}: OBS's own `Authorization: OBS AK:signature`.
 *
 * Both sign `params` (the final URL is resolved with axios's serializer and
 * becomes `config.url`), the `x-obs-*` / `x-amz-*` headers and the security
 * token, and date each request with the handle's learned clock offset, so a
 * RequestTimeTooSkewed answer is corrected by re-signing. Both take static
 * keys or a {@link CredentialsProvider} of rotating temporary credentials.
 */
export { sigV4Signer } from './sigv4-signer.js';
export type { SigV4SignerOptions } from './sigv4-signer.js';
export { obsSigner } from './obs-signer.js';
export type { ObsSignerOptions } from './obs-signer.js';
export type { CredentialsProvider, SigningCredentials } from './credentials.js';
export type { SignContext, SignHook } from '../options/types.js';
