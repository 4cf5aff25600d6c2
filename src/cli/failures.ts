import { ArchiveError } from '../archive/errors.js';
import { PackError } from '../checks/load-pack.js';
import { ConfigError } from '../packs.js';
import { QueueError } from '../queue/config.js';
import { ServerConfigError } from '../server/config.js';
import { OutputError } from './output.js';

/** A failure the user can fix (a pack, the configuration, the archive, the queue, the server, -o): a message and exit 2, no stack. */
export const isExpectedFailure = (error: unknown): boolean =>
  error instanceof PackError || error instanceof ConfigError || error instanceof ArchiveError || error instanceof QueueError || error instanceof ServerConfigError || error instanceof OutputError;
