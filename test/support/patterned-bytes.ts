/**
 * Deterministic test payloads whose bytes differ from one offset to the next,
 * so a body that is cut, shifted, resumed at the wrong place or mixed with
 * another object's bytes never hashes or compares equal to the original.
 */

/**
 * `size` bytes from a linear congruential generator started at `seed`: the
 * same `size` and `seed` give the same bytes every time; different seeds give
 * different objects.
 */
export function patterned(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}
