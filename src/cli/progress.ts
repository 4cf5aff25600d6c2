const WIDTH = 30;

/** A one-line progress bar on stderr, only when stderr is a terminal: stdout carries nothing but data. */
export class Progress {
  private ticked = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  /** Redraws the bar at `done` of `total`, followed by `suffix` (a file name, a count of failures). */
  show(done: number, total: number, suffix = ''): void {
    if (!this.stream.isTTY) return;
    const filled = total ? Math.round((done / total) * WIDTH) : WIDTH;
    this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total}${suffix}\u001b[K`);
  }

  /** One more of `total` files done (no bar for a single file: it would only flicker). */
  tick(total: number, file: string): void {
    this.ticked++;
    if (total > 1) this.show(this.ticked, total, ` ${file.length > 40 ? `…${file.slice(-39)}` : file}`);
  }

  /** Clears the bar's line. */
  done(): void {
    if (this.stream.isTTY) this.stream.write('\r\u001b[K');
  }
}
