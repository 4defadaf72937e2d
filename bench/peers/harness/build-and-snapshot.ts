/** Builds the package if needed and takes the run's private copy of it, retrying while another build empties `dist/`. */
import { snapshotDist } from './dist-snapshot.js';
import { ensureBuild } from './ensure-build.js';

const TRIES = 5;

/** What it did, for the progress log; throws after {@link TRIES} failed tries. */
export async function buildAndSnapshot(): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const built = ensureBuild();
      snapshotDist();
      return `${built}; measuring a private copy of it`;
    } catch (error) {
      if (attempt >= TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}
