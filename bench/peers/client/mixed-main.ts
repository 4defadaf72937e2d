/**
 * The client process of the mixed-classes scenario: one axios client (bare,
 * or with the policies from the built package) driving GETs of one object and
 * bucket listings at the same time, as an application that reads objects
 * while it walks a bucket does. Each run builds a fresh client, so no pace
 * carries over from one run to the next. A sliced run turns the listings on
 * and off in alternate slices while the GETs go on (see `SliceSpec`).
 */
import { setMaxListeners } from 'node:events';
import { pathToFileURL } from 'node:url';
import type * as Policies from '../../../src/index.js';
import { serveParent, type ProgressReporter } from '../ipc/serve.js';
import { ABORTED } from './bench-client.js';
import { axiosBase, axiosCodeOf } from './kinds/axios-base.js';
import type { LaneFigures, MixedResult, MixedRun, SliceSpec } from './mixed-protocol.js';
import { countCode, sleepUntil, ticker } from './timing.js';

/** The code of a failed call: the OBS code with the policies, else axios's. */
type CodeOf = (error: unknown) => string;

/** A client for one run, and how to let it go. */
interface RunClient {
  get: (path: string, params: Record<string, string> | undefined, signal: AbortSignal) => Promise<void>;
  codeOf: CodeOf;
  close: () => void;
}

async function openClient(run: MixedRun): Promise<RunClient> {
  const sockets = run.get.concurrency + (run.list?.concurrency ?? 0);
  const base = axiosBase({
    kind: run.kind,
    options: run.options,
    origin: run.origin,
    bucket: run.get.bucket,
    key: run.get.key,
    sockets,
    urlStyle: 'relative',
    timeoutMs: run.timeoutMs,
    distEntry: run.distEntry,
  });
  let codeOf: CodeOf = axiosCodeOf;
  let detach = (): void => undefined;
  if (run.kind === 'obs') {
    const policies = (await import(pathToFileURL(run.distEntry).href)) as typeof Policies;
    const handle = policies.attachObsPolicies(base.instance, run.options);
    codeOf = (error) => (policies.isObsError(error) ? error.obsCode : axiosCodeOf(error));
    detach = () => {
      handle.detach();
    };
  }
  return {
    get: async (path, params, signal) => {
      await base.instance.get(path, { params, signal });
    },
    codeOf,
    close: () => {
      detach();
      base.agent.destroy();
    },
  };
}

/** Runs `lanes` loops of `call` while `more()` says so (it may count the call it allows); returns their figures. */
async function drive(lanes: number, more: () => boolean, call: () => Promise<void>, codeOf: CodeOf): Promise<LaneFigures> {
  const byCode: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  const startedAt = Date.now();
  const lane = async (): Promise<void> => {
    while (more()) {
      try {
        await call();
        ok++;
      } catch (error) {
        failed++;
        const code = codeOf(error);
        countCode(byCode, code === 'ERR_CANCELED' ? ABORTED : code);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  return { ok, failed, byCode, startedAt, endedAt: Date.now() };
}

/** The order of a sliced run's slices (true: listing), pairs alternating quiet–listing and listing–quiet. */
function slicePlan(pairs: number): boolean[] {
  const plan: boolean[] = [];
  for (let pair = 0; pair < pairs; pair++) plan.push(pair % 2 === 1, pair % 2 === 0);
  return plan;
}

/** A sliced run: GETs throughout, listings in every other slice; counts the GETs per slice. */
async function runSliced(client: RunClient, run: MixedRun, slices: SliceSpec, progress: ProgressReporter): Promise<MixedResult> {
  const list = run.list;
  if (list === null) throw new TypeError('a sliced run needs listings');
  const plan = slicePlan(slices.pairs);
  const controller = new AbortController();
  setMaxListeners((run.get.concurrency + list.concurrency) * 4 + 16, controller.signal);
  const abortTimer = setTimeout(() => {
    controller.abort();
  }, run.deadlineMs);
  const slicedFrom = Date.now() + slices.warmupMs;
  const end = slicedFrom + plan.length * slices.sliceMs;
  const totalMs = end - Date.now();
  const stopTicker = ticker(250, () => {
    progress(Math.min(totalMs, totalMs - (end - Date.now())), totalMs);
  });
  const sliceAt = (at: number): number => Math.floor((at - slicedFrom) / slices.sliceMs);
  const startOf = (slice: number): number => slicedFrom + slice * slices.sliceMs;
  const getsBySlice = plan.map(() => 0);
  const getPath = `/${run.get.bucket}/${run.get.key}`;
  const gets = drive(
    run.get.concurrency,
    () => Date.now() < end,
    async () => {
      await client.get(getPath, undefined, controller.signal);
      const now = Date.now();
      const slice = sliceAt(now);
      if (slice >= 0 && slice < plan.length && now - startOf(slice) >= slices.settleMs) getsBySlice[slice] = (getsBySlice[slice] ?? 0) + 1;
    },
    client.codeOf,
  );
  const listFigures: LaneFigures = { ok: 0, failed: 0, byCode: {}, startedAt: slicedFrom, endedAt: slicedFrom };
  const listPath = `/${list.bucket}`;
  const schedule = list.schedulePerSec;
  // The bench's schedule restarts with every listing slice: listing k of a slice at k / schedulePerSec s into it.
  let scheduledSlice = -1;
  let scheduled = 0;
  const listLane = async (): Promise<void> => {
    for (let now = Date.now(); now < end; now = Date.now()) {
      const slice = sliceAt(now);
      if (slice < 0 || plan[slice] !== true) {
        await sleepUntil(startOf(Math.max(0, slice + 1)));
        continue;
      }
      if (schedule !== undefined) {
        if (slice !== scheduledSlice) {
          scheduledSlice = slice;
          scheduled = 0;
        }
        const at = startOf(slice) + (1000 * scheduled++) / schedule;
        await sleepUntil(Math.min(at, startOf(slice + 1)));
        if (at >= startOf(slice + 1)) continue;
      }
      try {
        await client.get(listPath, { 'list-type': '2' }, controller.signal);
        listFigures.ok++;
      } catch (error) {
        listFigures.failed++;
        const code = client.codeOf(error);
        countCode(listFigures.byCode, code === 'ERR_CANCELED' ? ABORTED : code);
      }
    }
  };
  const [get] = await Promise.all([gets, Promise.all(Array.from({ length: Math.max(1, list.concurrency) }, listLane))]);
  listFigures.endedAt = Date.now();
  clearTimeout(abortTimer);
  stopTicker();
  return { get, list: listFigures, slices: { getsBySlice, listing: plan, countedMs: slices.sliceMs - slices.settleMs } };
}

async function runMixed(run: MixedRun, progress: ProgressReporter): Promise<MixedResult> {
  const client = await openClient(run);
  try {
    await sleepUntil(run.startAt);
    if (run.slices !== undefined) return await runSliced(client, run, run.slices, progress);
    const controller = new AbortController();
    setMaxListeners((run.get.concurrency + (run.list?.concurrency ?? 0)) * 4 + 16, controller.signal);
    const startedAt = Date.now();
    const deadline = startedAt + run.deadlineMs;
    const abortTimer = setTimeout(() => {
      controller.abort();
    }, run.deadlineMs);
    const list = run.list;
    let listed = 0;
    let listingsDone = false;
    const stopTicker = ticker(250, () => {
      if (list === null) progress(Math.min(run.getForMs, Date.now() - startedAt), run.getForMs);
      else progress(listed, list.calls);
    });
    const getUntil = list === null ? startedAt + run.getForMs : deadline;
    const getPath = `/${run.get.bucket}/${run.get.key}`;
    const gets = drive(
      run.get.concurrency,
      () => !listingsDone && Date.now() < getUntil,
      () => client.get(getPath, undefined, controller.signal),
      client.codeOf,
    );
    let listing: Promise<LaneFigures | null> = Promise.resolve(null);
    if (list !== null) {
      let started = 0;
      const listPath = `/${list.bucket}`;
      const schedule = list.schedulePerSec;
      listing = drive(
        list.concurrency,
        () => {
          if (started >= list.calls || Date.now() >= deadline) return false;
          started++;
          return true;
        },
        async () => {
          // The listing this lane was just given (`more()` counted it), at its time on the bench's schedule.
          if (schedule !== undefined) await sleepUntil(startedAt + (1000 * (started - 1)) / schedule);
          await client.get(listPath, { 'list-type': '2' }, controller.signal);
          listed++;
        },
        client.codeOf,
      ).then((figures) => {
        listingsDone = true;
        const notStarted = list.calls - started;
        if (notStarted > 0) figures.byCode.NotStarted = notStarted;
        return { ...figures, failed: figures.failed + notStarted };
      });
    }
    const [get, listFigures] = await Promise.all([gets, listing]);
    clearTimeout(abortTimer);
    stopTicker();
    return { get, list: listFigures };
  } finally {
    client.close();
  }
}

serveParent<MixedRun>(
  (run, progress) => runMixed(run, progress),
  () => Promise.resolve(),
);
process.send?.({ id: 0, type: 'done', result: { pid: process.pid } });
