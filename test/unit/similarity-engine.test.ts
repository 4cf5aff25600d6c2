import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/checks/engine.js';
import { labelSimilarity } from '../../src/checks/similarity.js';

describe('labelSimilarity', () => {
  it('is 1 for equal labels and when one ends with the other', () => {
    expect(labelSimilarity('检毒经费', '检毒经费')).toBe(1);
    expect(labelSimilarity('检毒经费', '财政年初预算检毒经费')).toBe(1);
    expect(labelSimilarity('财政年初预算检毒经费', '检毒经费')).toBe(1);
  });

  it('is high for near-identical items and low for unrelated ones', () => {
    expect(labelSimilarity('办公设备购置', '办公设备购置费')).toBeGreaterThanOrEqual(0.8);
    expect(labelSimilarity('检毒经费', '公务用车购置费')).toBeLessThan(0.3);
    expect(labelSimilarity('基本支出', '项目支出')).toBeLessThan(0.5);
  });

  it('is 0 for an empty label and needs two characters for the suffix rule', () => {
    expect(labelSimilarity('', '检毒经费')).toBe(0);
    expect(labelSimilarity('费', '培训费')).toBeLessThan(1);
  });
});

describe('renderMessage', () => {
  it('fills placeholders with strings and numbers, tolerating inner spaces', () => {
    expect(renderMessage('{{label}}{{n}}个，实际{{ actual }}项', { label: '科室', n: 4, actual: 3 })).toBe('科室4个，实际3项');
  });

  it('leaves an unknown placeholder visible', () => {
    expect(renderMessage('差{{diff}}{{unit}}', { diff: '0.50' })).toBe('差0.50{{unit}}');
  });

  it('renders zero and repeated placeholders', () => {
    expect(renderMessage('{{a}}+{{a}}={{b}}', { a: 0, b: 0 })).toBe('0+0=0');
  });
});
