/**
 * The live progress line on stderr. On a terminal it is one line rewritten in
 * place (`\r`); elsewhere (CI logs, a pipe) carriage returns would make a mess,
 * so it prints one plain line per finished step instead.
 */

/** Progress reporting of a run. */
export class Progress {
  private readonly tty: boolean;
  private readonly startedAt = Date.now();
  private label = '';
  private stepStartedAt = Date.now();
  private lastDrawAt = 0;
  private width = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY;
  }

  /** A step starts (`throttle · s3-standard`). */
  start(label: string): void {
    this.label = label;
    this.stepStartedAt = Date.now();
    this.draw('', true);
  }

  /** Progress of the running step: `done` of `total` (calls, or ms of a timed run). */
  update(done: number, total: number, unit: string): void {
    this.draw(`${String(done)}/${String(total)} ${unit}`, false);
  }

  /** The running step ended; `summary` is a few words about it. */
  finish(summary: string): void {
    const seconds = ((Date.now() - this.stepStartedAt) / 1000).toFixed(1);
    if (this.tty) this.draw(`done in ${seconds} s ${summary}`, true);
    else this.stream.write(`${this.elapsed()} ${this.label}: ${seconds} s ${summary}\n`);
  }

  /** A free-form note (a failure, a build): its own line in both modes. */
  note(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
  }

  /** Ends the live line. */
  end(): void {
    this.clear();
    this.stream.write(`${this.elapsed()} finished\n`);
  }

  private elapsed(): string {
    return `[${((Date.now() - this.startedAt) / 1000).toFixed(0).padStart(4)} s]`;
  }

  private draw(detail: string, force: boolean): void {
    if (!this.tty) return;
    const now = Date.now();
    // Ten redraws a second are plenty, and keep a busy parent from flooding the terminal.
    if (!force && now - this.lastDrawAt < 100) return;
    this.lastDrawAt = now;
    const columns = this.stream.columns > 20 ? this.stream.columns - 1 : 100;
    const line = `${this.elapsed()} ${this.label} ${detail}`.slice(0, columns);
    this.stream.write(`\r${line.padEnd(this.width)}`);
    this.width = line.length;
  }

  private clear(): void {
    if (!this.tty || this.width === 0) return;
    this.stream.write(`\r${' '.repeat(this.width)}\r`);
    this.width = 0;
  }
}
