/**
 * Collects what must never happen while a call runs, whatever the server or a
 * listener does: an unhandled promise rejection or an uncaught exception.
 */

/** A running collector. */
export interface ProcessFaults {
  /** What was collected so far, as text. */
  readonly seen: readonly string[];
  /** Stops collecting. */
  stop(): void;
}

function describe(kind: string, value: unknown): string {
  return `${kind}: ${value instanceof Error ? `${value.name}: ${value.message}` : String(value)}`;
}

/** Starts collecting unhandled rejections and uncaught exceptions of this process. */
export function collectProcessFaults(): ProcessFaults {
  const seen: string[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(describe('unhandledRejection', reason));
  };
  const onException = (error: unknown): void => {
    seen.push(describe('uncaughtException', error));
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    seen,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/** Lets pending promise jobs and a few macrotasks run, so a rejection nobody handles is reported. */
export async function letRejectionsSurface(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
