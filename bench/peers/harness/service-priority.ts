/**
 * The scheduling priority of the processes that stand for remote services: the
 * local OBS server and redis-server. In a deployment they run on machines of
 * their own, so the clients' contention for this machine's cores must not set
 * their speed. Starved of a core, the OBS server read requests in bunches, and
 * its token bucket (burst 50) answered SlowDown to what a bunch held past the
 * burst although the clients had sent at the limit: at 32 processes sharing
 * 1,000 req/s, the requests it read per 100 ms swung between 25 and 170.
 * Raising a priority needs the right to (root, or CAP_SYS_NICE); without it
 * the run goes on at the normal priority and the report says so.
 */
import os from 'node:os';

/** The niceness the service processes run at (−20 highest, 0 normal). */
export const SERVICE_NICENESS = -10;

/** Why raising a service's priority failed, by service name (empty: every one was raised). */
const refused = new Map<string, string>();
/** Services raised at least once. */
const raised = new Set<string>();

/** Raises the priority of the process `pid` (the service `name`); a refusal is kept for the report, never thrown. */
export function raiseServicePriority(name: string, pid: number | undefined): void {
  if (pid === undefined) {
    refused.set(name, 'no pid');
    return;
  }
  try {
    os.setPriority(pid, SERVICE_NICENESS);
    raised.add(name);
  } catch (error) {
    refused.set(name, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

/** One sentence for the report: at which priority the services ran. */
export function servicePriorityLine(): string {
  const stand = 'they stand for remote services, whose speed the clients’ contention for this machine’s cores must not set';
  if (refused.size === 0 && raised.size > 0) return `The local OBS server and redis-server ran at a raised scheduling priority (niceness ${String(SERVICE_NICENESS)}): ${stand}.`;
  if (refused.size === 0) return '';
  const why = [...refused].map(([name, reason]) => `${name}: ${reason}`).join(', ');
  return `The service processes were meant to run at a raised scheduling priority (niceness ${String(SERVICE_NICENESS)}; ${stand}), but this machine refused it (${why}): they shared the cores with the clients on equal terms.`;
}
