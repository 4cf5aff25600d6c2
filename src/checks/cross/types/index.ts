import fieldAgreement from './field-agreement.js';
import initialBudget from './initial-budget.js';
import priorYear from './prior-year.js';

/** Every built-in cross-document rule type; packs' `cross` rules can only instantiate these. */
export const CROSS_RULE_TYPES = [fieldAgreement, priorYear, initialBudget] as const;
