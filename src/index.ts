/** crossfoot's library API: the pure checker, its report contract, and rule-pack loading. */
export { checkDocument, failedReport, type CheckOptions } from './pipeline.js';
export { loadPackSet, readConfig, ConfigError, type PackSetSource } from './packs.js';
export { buildPackSet, builtinPacks, type PackSet } from './checks/pack-set.js';
export { PackError, parsePack, readPack } from './checks/load-pack.js';
export { PackSchema, ConfigSchema, type Pack, type Config } from './checks/pack-schema.js';
export { ReportSchema, FindingSchema, FigureSchema, type Report, type Finding, type FigureRecord, type DocumentType, type Severity } from './report/schema.js';
export { readDocument, ReadError, type ExtractedDocument, type ReadErrorCode } from './readers/index.js';
export { tokenize } from './text/tokenize.js';
