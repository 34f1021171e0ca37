import { describe, expect, it } from 'vitest';
import { elideMiddle } from '../../src/interact/elide';

describe('elideMiddle', () => {
  it('keeps short names as they are', () => {
    expect(elideMiddle('run-a/train', 36)).toBe('run-a/train');
  });

  it('cuts long run names in the middle, keeping the end that tells runs apart', () => {
    const a = elideMiddle('track_1_short/2024-10-14_record_ab12cd34a3f9/train', 32);
    const b = elideMiddle('track_1_short/2024-10-14_record_ab12cd34a3f9/eval', 32);
    expect(a).toBe('track_1_short/2024-10…a3f9/train');
    expect(Array.from(a)).toHaveLength(32);
    expect(a.endsWith('/train') && b.endsWith('/eval')).toBe(true);
    expect(a).not.toBe(b);
  });

  it('never splits a code point, and degenerates to an ellipsis', () => {
    expect(Array.from(elideMiddle('😀'.repeat(50), 10))).toHaveLength(10);
    expect(elideMiddle('abcdef', 1)).toBe('…');
  });
});
