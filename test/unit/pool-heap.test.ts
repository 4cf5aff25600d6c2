import { describe, expect, it } from 'vitest';
import { heapPerThreadMb } from '../../src/pool/heap.js';

const GIB = 1024 ** 3;

describe('per-thread heap cap sized to the host', () => {
  it('all threads at their cap fit in the host: 8 GiB, 2 threads → 2457 MB each, not 4096', () => {
    expect(heapPerThreadMb(2, 8 * GIB)).toBe(2457);
    expect(2 * heapPerThreadMb(2, 8 * GIB)).toBeLessThan(8 * 1024);
  });

  it('more threads, a smaller cap each', () => {
    expect(heapPerThreadMb(8, 16 * GIB)).toBe(1228);
  });

  it('never above 4096 MB on a large host, never below 512 MB on a tiny one', () => {
    expect(heapPerThreadMb(2, 256 * GIB)).toBe(4096);
    expect(heapPerThreadMb(16, 2 * GIB)).toBe(512);
  });
});
