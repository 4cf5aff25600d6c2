import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { PackError, readPack } from './checks/load-pack.js';
import { type Config, ConfigSchema, type Pack } from './checks/pack-schema.js';
import { buildPackSet, builtinPacks, type PackSet } from './checks/pack-set.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './readers/types.js';

/** Where a run's packs come from: the shipped ones plus user packs, with the config's rule switches. */
export interface PackSetSource {
  extraPacks: string[];
  rules: Config['rules'];
  rounding?: Config['rounding'];
  /** Set where the caller runs the examples itself and reports their failures (`rules test`). */
  examplesVerified?: boolean;
}

/** The pack source of a command: the configuration's packs, rule switches and rounding mode, plus `--rules` packs. */
function packSourceOf(config: Config | undefined, rulePacks: readonly string[] = []): PackSetSource {
  return { extraPacks: [...(config?.packs ?? []), ...rulePacks], rules: config?.rules ?? {}, rounding: config?.rounding ?? 'tail' };
}

/** The read limits a configuration sets, over the defaults: the same for check, archive add, serve and worker. */
function readLimitsOf(config: Config | undefined): ReadLimits {
  return {
    ...DEFAULT_READ_LIMITS,
    ...(config?.limits.maxBytes ? { maxBytes: config.limits.maxBytes } : {}),
    ...(config?.limits.maxInflatedBytes ? { maxInflatedBytes: config.limits.maxInflatedBytes } : {}),
  };
}

/** What a command's `-c FILE` and `--rules` options set, read the same way by check, archive add, serve, worker and submit. */
export interface CommandSettings {
  config?: Config;
  source: PackSetSource;
  limits: ReadLimits;
  /** The configuration's per-document time limit; each command applies its own flag and default over it. */
  timeoutMs?: number;
}

export function commandSettings(values: { rules?: string[]; config?: string }): CommandSettings {
  const config = values.config ? readConfig(values.config) : undefined;
  return { config, source: packSourceOf(config, values.rules), limits: readLimitsOf(config), timeoutMs: config?.limits.timeoutMs };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads a YAML or JSON configuration file, validated by zod. */
export function readConfig(path: string): Config {
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path}: ${(error as Error).message}`);
  }
  const result = ConfigSchema.safeParse(data ?? {});
  if (!result.success) throw new ConfigError(`${path}: invalid configuration:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Packs whose rules' examples passed in this process (examples run once per pack, not per document). */
const verified = new WeakSet<Pack>();

/**
 * The packs for a run, refused when a pack's own examples fail: a rule that cannot pass its examples would
 * mislead reviewers on real reports.
 */
export async function loadPackSet(source: PackSetSource): Promise<PackSet> {
  const packs = [...builtinPacks(), ...source.extraPacks.map(readPack)];
  const ids = new Set<string>();
  for (const p of packs) {
    if (ids.has(p.pack.id)) throw new PackError(p.pack.id, 'two packs share this id');
    ids.add(p.pack.id);
  }
  const known = new Set(packs.flatMap((p) => p.rules.map((r) => `${p.pack.id}/${r.id}`)));
  for (const ruleId of Object.keys(source.rules)) {
    if (!known.has(ruleId)) throw new ConfigError(`unknown rule in configuration: ${ruleId}`);
  }
  const set = buildPackSet(packs, { rules: source.rules, rounding: source.rounding ?? 'tail' });
  // The shipped packs are part of the program: their examples run in the test suite and in CI's `crossfoot rules
  // test`, and running them again in every process cost a check's start-up more than its document did.
  const shipped = new Set(builtinPacks());
  let full: PackSet | undefined;
  for (const pack of packs) {
    if (source.examplesVerified || shipped.has(pack) || verified.has(pack)) continue;
    // the pipeline is loaded here only for a user's pack
    const { runExamples } = await import('./selftest.js');
    // examples run with every rule on, so that a rule switched off by configuration is still verified
    full ??= buildPackSet(packs);
    const { failures } = await runExamples(pack, full);
    if (failures.length) {
      throw new PackError(pack.pack.id, `rule examples fail:\n${failures.map((f) => `  ${f.ruleId}: ${f.problem}\n    text: ${f.text}`).join('\n')}`);
    }
    verified.add(pack);
  }
  return set;
}
