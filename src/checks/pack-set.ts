import type { DocumentType, Severity } from '../model.js';
import type { ActiveCrossRule } from './cross/engine.js';
import type { ActiveRule } from './engine.js';
import { BUILTIN_RULES_DIR, packFolders, readPack } from './load-pack.js';
import type { Config, FieldSpec, Pack } from './pack-schema.js';

/** The packs in force for a run, with the configuration's switches applied. */
export interface PackSet {
  packs: Pack[];
  /** Every enabled rule, with its pack's applicability. */
  rules: (ActiveRule & { appliesTo: readonly string[] })[];
  /** Every enabled cross-document rule. */
  crossRules: ActiveCrossRule[];
  strip: RegExp[];
  documentTypes: { type: DocumentType; title: RegExp }[];
  fields: (FieldSpec & { appliesTo: readonly string[] })[];
  /** The configuration's `rounding: strict`: 尾差 are findings at the rule's severity. */
  strictRounding: boolean;
}

export function buildPackSet(packs: readonly Pack[], config?: Pick<Config, 'rules'> & Partial<Pick<Config, 'rounding'>>): PackSet {
  const set: PackSet = { packs: [...packs], rules: [], crossRules: [], strip: [], documentTypes: [], fields: [], strictRounding: config?.rounding === 'strict' };
  for (const pack of packs) {
    const appliesTo = pack.pack.appliesTo;
    for (const spec of pack.rules) {
      const ruleId = `${pack.pack.id}/${spec.id}`;
      const severity = config?.rules[ruleId] ?? spec.severity;
      if (severity === 'off') continue;
      set.rules.push({ ruleId, spec, severity: severity as Severity, appliesTo });
    }
    for (const spec of pack.cross) {
      const ruleId = `${pack.pack.id}/${spec.id}`;
      const severity = config?.rules[ruleId] ?? spec.severity;
      if (severity !== 'off') set.crossRules.push({ ruleId, spec, severity: severity as Severity });
    }
    set.strip.push(...pack.normalize.strip.map((s) => new RegExp(s, 'gu')));
    set.documentTypes.push(...pack.documentTypes.map((d) => ({ type: d.type, title: new RegExp(d.title, 'u') })));
    set.fields.push(...pack.fields.map((f) => ({ ...f, appliesTo })));
  }
  return set;
}

export const applies = (appliesTo: readonly string[], type: DocumentType): boolean =>
  appliesTo.includes('all') || appliesTo.includes(type);

let builtin: Pack[] | undefined;

/** The shipped packs, read once per process. */
export function builtinPacks(): Pack[] {
  builtin ??= packFolders(BUILTIN_RULES_DIR).map(readPack);
  return builtin;
}
