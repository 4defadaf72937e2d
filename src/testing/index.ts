/**
 * obs-axios-policies/testing: a scriptable local OBS server for tests,
 * examples and your own test suites (Node only).
 *
 * - {@link createObsServer} starts it; script answers with `enqueue(...)`,
 *   persistent behaviours with `scenario(throttle(...) | outage(...) | custom(...))`.
 * - {@link createLoopbackAgent} / {@link loopbackLookup} reach it under
 *   virtual-hosted names (`http://photos.obs.test:<port>/cat.jpg`).
 * - Its store models object and bucket CRUD, append, copy and multipart upload,
 *   checks `Content-MD5`, and answers 501 NotImplemented to every other
 *   sub-resource (`?acl`, `?tagging`, …) without touching what it stores
 *   (docs/testing-server.md).
 */
export { createObsServer, ObsTestServer } from './obs-test-server.js';
export type { ObsServerOptions } from './obs-test-server.js';
export type { ObsServerCredentials } from './auth/verdict.js';
export type { RecordedRequest, RecordedResponse, RequestFilter, StepMatch } from './recorded-request.js';
export type { ObsBucketHandle, ObsPendingUpload } from './bucket-handle.js';
export { copyFailure, html502, hugeBody, malformedXml, truncatedXml } from './steps.js';
export type { ErrorAnswer, ErrorStep, HangStep, ObsServerStep, OkStep, RawStep, RedirectStep, ResetStep, StepCommon } from './steps.js';
export { custom, outage, throttle } from './scenarios.js';
export type { CustomScenario, ObsScenario, OutageScenario, ThrottleScenario } from './scenarios.js';
export { createLoopbackAgent, loopbackLookup } from './loopback.js';
