import change from './change.js';
import compare from './compare.js';
import consistent from './consistent.js';
import count from './count.js';
import rate from './rate.js';
import selfEval from './self-eval.js';
import share from './share.js';
import sum from './sum.js';
import tableChange from './table-change.js';
import tableSum from './table-sum.js';
import tableTable from './table-table.js';
import tableText from './table-text.js';
import year from './year.js';

/** Every built-in rule type; packs can only instantiate these. */
export const RULE_TYPES = [sum, share, rate, change, count, year, consistent, compare, tableSum, tableChange, tableText, tableTable, selfEval] as const;
