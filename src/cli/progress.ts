/** A one-line progress bar on stderr, only when stderr is a terminal: stdout carries nothing but data. */
export class Progress {
  private done_ = 0;
  private readonly enabled: boolean;

  constructor(private readonly total: number, private readonly stream: NodeJS.WriteStream) {
    this.enabled = !!stream.isTTY && total > 1;
  }

  tick(file: string): void {
    this.done_++;
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round((this.done_ / this.total) * width);
    const name = file.length > 40 ? `…${file.slice(-39)}` : file;
    this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done_}/${this.total} ${name}\u001b[K`);
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\u001b[K');
  }
}
