import { z } from 'zod';
import type { Relation } from './breakdowns.js';
import { Pattern } from './pattern.js';

/**
 * One introducer option, as the rule types that read listed breakdowns (sum, share, change, consistent) take it:
 * a pattern and how the listed parts relate to the total. Each type keeps its own default relation.
 */
export const introducerSchema = (relation: Relation) =>
  z.object({ pattern: Pattern, relation: z.enum(['equal', 'atMost', 'auto']).default(relation) });
