import { add, dec, type Dec, parseDec, shift } from './decimal.js';

/** Digits in everyday and financial (大写) forms. */
const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
/** Multipliers below 万: each applies to the digit before it. */
const SMALL_UNITS: Record<string, number> = { 十: 1, 拾: 1, 百: 2, 佰: 2, 千: 3, 仟: 3 };
/** Section multipliers: they apply to everything accumulated before them. */
const BIG_UNITS: Record<string, number> = { 万: 4, 萬: 4, 亿: 8, 億: 8 };

export const CHINESE_DIGIT_CLASS = '零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖';
export const CHINESE_NUMERAL_CLASS = `${CHINESE_DIGIT_CLASS}十拾百佰千仟万萬亿億`;

/**
 * Parses a Chinese numeral (一百二十三, 两千零五, 壹万贰仟, 三千万) or a plain digit string with
 * Chinese multipliers (1.2万, 3千万) into an exact decimal. Returns null when it is not a number.
 */
export function parseChineseNumber(text: string): Dec | null {
  const mixed = /^(\d+(?:\.\d+)?)([十拾百佰千仟万萬亿億]+)$/.exec(text);
  if (mixed) {
    let value = parseDec(mixed[1]!);
    for (const ch of mixed[2]!) value = shift(value, SMALL_UNITS[ch] ?? BIG_UNITS[ch] ?? 0);
    return value;
  }
  if (!/^[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億]+$/.test(text)) return null;
  // A bare digit sequence such as 二〇二四 reads digit by digit.
  if ([...text].every((ch) => ch in DIGITS)) {
    return parseDec([...text].map((ch) => String(DIGITS[ch])).join(''));
  }
  let total: Dec = dec(0); // completed 亿 sections
  let section: Dec = dec(0); // current section below the next big unit
  let digit: number | null = null;
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = DIGITS[ch]!;
    } else if (ch in SMALL_UNITS) {
      // 十 alone at the start means 1×10 (十二 = 12)
      section = add(section, shift(dec(digit ?? 1), SMALL_UNITS[ch]!));
      digit = null;
    } else if (ch in BIG_UNITS) {
      const withDigit = add(section, dec(digit ?? 0));
      const power = BIG_UNITS[ch]!;
      if (power === 8) {
        total = shift(add(total, withDigit), 8);
      } else {
        total = add(total, shift(withDigit, power));
      }
      section = dec(0);
      digit = null;
    } else {
      return null;
    }
  }
  return add(total, add(section, dec(digit ?? 0)));
}

/** 10^k as a multiplier for a unit prefix such as 万 in 万元. */
export function prefixPower(prefix: string): number {
  let power = 0;
  for (const ch of prefix) power += SMALL_UNITS[ch] ?? BIG_UNITS[ch] ?? 0;
  return power;
}

