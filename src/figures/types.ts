import type { Dec } from './decimal.js';

export type FigureKind = 'amount' | 'percent' | 'count' | 'year';
export type Bound = 'atLeast' | 'atMost' | 'approx';
export type Direction = 'increase' | 'decrease' | 'flat';
/** The budget stage a figure is stated at; figures at different stages legitimately differ. */
export type Stage = 'budget-initial' | 'budget-adjusted' | 'budget' | 'final' | 'actual';

export interface Figure {
  id: string;
  kind: FigureKind;
  /** Start/end in the normalized document text (half-open). */
  start: number;
  end: number;
  /** Where the number itself starts (after qualifiers such as 约). */
  numberStart: number;
  /** The figure exactly as the report prints it (original text, not width-folded). */
  text: string;
  /** Value in the printed unit (276.10 for 276.10万元; 100000 for 10万人). */
  value: Dec;
  /** Decimals as printed (2 for 276.10). */
  decimals: number;
  /** Printed unit: 万元, 元, %, ‰, 个, 人 … ("" for bare years). */
  unit: string;
  /** Amounts only: the value in 元. */
  yuan?: Dec;
  /** 10^power converts the printed value to the base unit (4 for 万元). */
  power: number;
  bound?: Bound;
  /** Change figures (比上年增加12万元, 下降3.5%): the direction word that governs them. */
  direction?: Direction;
  /** 个百分点: a change in percentage points, not a share. */
  pointChange?: boolean;
  /** Counts: the classifier (个, 项, 人 …) and the noun after it (项目 in 4个项目). */
  classifier?: string;
  noun?: string;
  /** The noun phrase the figure measures, width-folded (决算总支出, 社区戒毒(康复)经费); rules match on it. */
  label: string;
  /** The same phrase exactly as the report prints it (社区戒毒（康复）经费), for messages. */
  shownLabel: string;
  /** The label with stage/funding qualifiers and fillers removed, for matching mentions of one item. */
  key: string;
  stage?: Stage;
  /** Other names the report gives the same figure: "…决算为1万元，全部为公务接待费" makes it 公务接待费 too. */
  aliases?: string[];
  /** A year named in the figure's own label (2023 in 2023年决算收入). */
  labelYear?: number;
  /** A comparison baseline (比2023年…, 较上年…): the figure is relative to another period. */
  baseline?: string;
  /** A table cell's figure: where it stands and its column's header path. Text figures have none. */
  cell?: {
    table: number;
    row: number;
    col: number;
    header: string;
    tableTitle?: string;
    /** The reader's block of the cell (DOCX), or the block the table follows (PDF). */
    block: number;
    page?: number;
  };
  /** Indices of the block, sentence and clause the figure sits in (−1 for table cells). */
  block: number;
  sentence: number;
  clause: number;
}
