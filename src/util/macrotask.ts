/**
 * Settles after the current macrotask: a refusal that never touches I/O must
 * still let timers run, or a caller that retries at once in a loop starves the
 * timer that would end the refusals (a breaker's half-open timer, a pace slot).
 */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, 0);
  });
}
