/**
 * obs-axios-policies: resilience policies for axios clients talking to
 * Huawei Cloud OBS. The public surface; everything else is internal.
 */
export { OBS_ERROR_CODES } from './catalog/error-codes.js';
export type { ObsErrorCodeEntry, ObsErrorCodeSource } from './catalog/error-codes.js';
export { parseObsError } from './parse/parse-obs-error.js';
export type { ParsedObsError } from './parse/parse-obs-error.js';
export { classifyObsFault } from './classify/classify.js';
export type { FaultKind, ObsFault } from './classify/fault.js';
export { ObsError } from './errors/obs-error.js';
export type { ObsErrorInit } from './errors/obs-error.js';
export type { FailFastCode, GiveUpCode, ReasonCode } from './decide/reasons.js';
export type { OperationClass } from './throttle/operation-class.js';
export type { ObsPolicyState, ObsBreakerState, ObsPaceState, ObsRedirectState } from './state/state-snapshot.js';
export type {
  ObsFleetStore,
  FleetStoreListener,
  FleetStoreFault,
  FleetNews,
  FleetNewsBase,
  FleetState,
  FleetOpenBreaker,
  FleetPace,
  FleetHold,
  FleetRedirect,
  FleetStreakAnswer,
  FleetPaceReport,
  FleetPaceAnswer,
  FleetPaceJudge,
} from './fleet/fleet-store.js';
export type { PaceState, PaceWindow } from './throttle/pace-estimator.js';
export { CircuitOpenError } from './errors/circuit-open-error.js';
export { isObsError } from './errors/is-obs-error.js';
export { DEFAULT_POLICIES } from './policy/default-policies.js';
export type { PolicyAction, PolicyOverride, PolicyTable, RetryKnobs } from './policy/types.js';
export { attachObsPolicies } from './attach.js';
export type { ObsPolicyHandle } from './attach.js';
export type {
  ObsPolicyEvents,
  ObsPolicyEventName,
  ObsPolicyListener,
  RequestEventBase,
  RetryEvent,
  RedirectEvent,
  FailFastEvent,
  GiveUpEvent,
  CircuitEvent,
  CircuitRejectEvent,
  ClockSkewEvent,
  RateChangeEvent,
  ResumeEvent,
  StoreDownEvent,
  StoreUpEvent,
} from './reporting/events.js';
export { OBS_OFFICIAL_HOSTS } from './redirect/host-allowlist.js';
export type {
  ObsPolicyOptions,
  ObsRequestOptions,
  RetryOptions,
  BreakerOptions,
  RedirectOptions,
  RetryBudgetOptions,
  ThrottleOptions,
  SignHook,
  SignContext,
  RequestBody,
  RequestBodyFactory,
  NodeReadableBody,
} from './options/types.js';
