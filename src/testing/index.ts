/**
 * obs-axios-policies/testing: a scriptable local OBS server for tests,
 * examples and your own test suites (Node only).
 */
export { createObsServer, ObsTestServer } from './obs-test-server.js';
export type { ObsServerOptions, RecordedRequest, RecordedResponse } from './obs-test-server.js';
export { copyFailure, html502, malformedXml, truncatedXml } from './steps.js';
export type { ErrorStep, HangStep, ObsServerStep, OkStep, RawStep, RedirectStep, ResetStep, StepCommon, StepMatch } from './steps.js';
export { custom, outage, throttle } from './scenarios.js';
export type { CustomScenario, ObsScenario, OutageScenario, ThrottleScenario } from './scenarios.js';
export { createLoopbackAgent, loopbackLookup } from './loopback.js';
