/** Archive problems the CLI reports with a plain message and exit code 2 (never a stack trace). */
export class ArchiveError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ArchiveError';
  }
}

/** The database cannot be reached or opened: a deployment problem, not a bug. */
export class ArchiveUnavailableError extends ArchiveError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ArchiveUnavailableError';
  }
}
