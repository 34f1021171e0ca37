import { describe, it, expect } from 'vitest';
import {
  decimalsFor,
  formatDate,
  formatDateTick,
  formatDuration,
  formatNumber,
  formatValue,
} from '../../src/axes/format';

describe('formatNumber', () => {
  it('formatNumber(v, step) writes |v| >= 1e4 with SI prefixes k, M, G', () => {
    expect(formatNumber(12000, 1000)).toBe('12k');
    expect(formatNumber(1.5e6, 5e5)).toBe('1.5M');
    expect(formatNumber(2e9, 1e9)).toBe('2G');
    expect(formatNumber(3e12, 1e12)).toBe('3T');
    expect(formatNumber(12500, 500)).toBe('12.5k');
    expect(formatNumber(-20000, 10000)).toBe('-20k');
  });

  it('formatNumber(v, step) keeps values below 1e4 as plain numbers', () => {
    expect(formatNumber(5000, 1000)).toBe('5000');
    expect(formatNumber(9999, 1)).toBe('9999');
  });

  it('formatNumber(v, step) shows the digits the step needs, without trailing zeros', () => {
    expect(formatNumber(0.1, 0.1)).toBe('0.1');
    expect(formatNumber(0.25, 0.05)).toBe('0.25');
    expect(formatNumber(3.5, 0.5)).toBe('3.5');
    expect(formatNumber(3, 0.5)).toBe('3');
    expect(formatNumber(3.285, 0.005)).toBe('3.285');
    // float noise from tick arithmetic does not leak into the label
    expect(formatNumber(0.1 + 0.2, 0.1)).toBe('0.3');
  });

  it('formatNumber(v, step) writes magnitudes below 1e-3 with an exponent', () => {
    expect(formatNumber(1e-5, 1e-5)).toBe('1e-5');
    expect(formatNumber(2.5e-4, 5e-5)).toBe('2.5e-4');
    expect(formatNumber(2e-4, 5e-5)).toBe('2e-4');
    expect(formatNumber(-3e-7, 1e-7)).toBe('-3e-7');
  });

  it('formatNumber(0 or -0, step) is "0", never "-0"', () => {
    expect(formatNumber(0, 0.1)).toBe('0');
    expect(formatNumber(-0, 0.1)).toBe('0');
    expect(formatNumber(-1e-17, 0.1)).toBe('0');
  });

  it('formatNumber(v, step) uses hyphen-minus for negatives', () => {
    expect(formatNumber(-2.5, 0.5)).toBe('-2.5');
  });

  it('formatNumber(v, 0) gives 5 significant digits, carrying into the next prefix', () => {
    expect(formatNumber(3.287149, 0)).toBe('3.2871');
    expect(formatNumber(123456789, 0)).toBe('123.46M');
    expect(formatNumber(999999.9, 0)).toBe('1M');
    expect(formatNumber(0.000123456, 0)).toBe('1.2346e-4');
  });

  it('formatNumber(non-finite, step) names the value', () => {
    expect(formatNumber(NaN, 1)).toBe('NaN');
    expect(formatNumber(-Infinity, 1)).toBe('-Infinity');
  });
});

describe('decimalsFor', () => {
  it('decimalsFor(step) is the number of places multiples of step need', () => {
    expect(decimalsFor(1)).toBe(0);
    expect(decimalsFor(50)).toBe(0);
    expect(decimalsFor(0.1)).toBe(1);
    expect(decimalsFor(0.25)).toBe(2);
    expect(decimalsFor(0.005)).toBe(3);
    expect(decimalsFor(2.5)).toBe(1);
    expect(decimalsFor(0)).toBe(0);
  });
});

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatDuration', () => {
  it('formatDuration(ms) keeps the two largest units', () => {
    expect(formatDuration(4.8e6)).toBe('1h 20m');
    expect(formatDuration(2 * D + 3 * H)).toBe('2d 3h');
    expect(formatDuration(90 * S)).toBe('1m 30s');
    expect(formatDuration(45 * S)).toBe('45s');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
  });

  it('formatDuration(ms) leaves out a zero second unit ("1h", not "1h 0m")', () => {
    expect(formatDuration(H)).toBe('1h');
    expect(formatDuration(2 * D)).toBe('2d');
    expect(formatDuration(M)).toBe('1m');
  });

  it('formatDuration(ms) rounds to the second unit and carries', () => {
    expect(formatDuration(H + 30 * S)).toBe('1h 1m');
    expect(formatDuration(2 * H - 20 * S)).toBe('2h');
    expect(formatDuration(M - 0.4)).toBe('1m');
  });

  it('formatDuration(negative) leads with "-"', () => {
    expect(formatDuration(-4.8e6)).toBe('-1h 20m');
    expect(formatDuration(-250)).toBe('-250ms');
  });

  it('formatDuration(0) is "0"', () => {
    expect(formatDuration(0)).toBe('0');
    expect(formatDuration(0, 1000)).toBe('0');
  });

  it('formatDuration(ms, stepMs) shows every unit down to the step', () => {
    expect(formatDuration(H + M + 15 * S, 15 * S)).toBe('1h 1m 15s');
    expect(formatDuration(H + 15 * S, 15 * S)).toBe('1h 15s');
    expect(formatDuration(4.8e6, 10 * M)).toBe('1h 20m');
    expect(formatDuration(1500, 500)).toBe('1.5s');
    expect(formatDuration(500, 500)).toBe('500ms');
    expect(formatDuration(0.25, 0.05)).toBe('0.25ms');
    expect(formatDuration(3 * D, D)).toBe('3d');
  });
});

describe('formatDate', () => {
  it('formatDate(ms) is YYYY-MM-DD HH:MM:SS.mmm in local time', () => {
    const ms = new Date(2024, 2, 5, 14, 2, 11, 250).getTime();
    expect(formatDate(ms)).toBe('2024-03-05 14:02:11.250');
  });

  it('formatDateTick(ms) is a non-empty short label', () => {
    expect(formatDateTick(new Date(2024, 0, 1).getTime())).toBe('2024');
    expect(formatDateTick(new Date(2024, 2, 1).getTime())).toBe('March');
  });
});

describe('formatValue', () => {
  it("formatValue(v, 'number') gives 4-5 significant digits", () => {
    expect(formatValue(3.287149, 'number')).toBe('3.2871');
    expect(formatValue(0.5, 'number')).toBe('0.5');
    expect(formatValue(1234567, 'number')).toBe('1.2346M');
  });

  it("formatValue(ms, 'duration') keeps all units down to seconds", () => {
    expect(formatValue(H + 20 * M + 5 * S, 'duration')).toBe('1h 20m 5s');
    expect(formatValue(1234, 'duration')).toBe('1.234s');
    expect(formatValue(250, 'duration')).toBe('250ms');
  });

  it("formatValue(ms, 'date') is the full local date", () => {
    const ms = new Date(2023, 10, 14, 9, 5, 7, 3).getTime();
    expect(formatValue(ms, 'date')).toBe('2023-11-14 09:05:07.003');
  });
});
