/**
 * The longest delay a timer can hold, 2³¹−1 ms (about 24.8 days): Node, browsers, Bun and Deno run a
 * longer one after 1 ms.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
