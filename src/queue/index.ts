export { QueueClient, type SubmitFile, type SubmitOptions, type SubmitResult, type SubmittedDocument } from './client.js';
export { QueueError, QueueUnavailableError, queueConfig, queueConfigFromEnv, QueueConfigSchema, type QueueConfig } from './config.js';
export { CheckWorker, type CheckWorkerOptions } from './worker.js';
export { checkPersistence } from './persistence.js';
export type { BatchDocument, BatchStatus, BatchSummary, DocumentState } from '../batch/summary.js';
