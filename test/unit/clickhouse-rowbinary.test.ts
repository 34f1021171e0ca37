/** RowBinary both ways and the SQL number literals, without a server (byte layouts by hand). */
import { describe, expect, test } from 'vitest';
import { decodeRowBinary, encodeRowBinary } from '../../src/server/clickhouse/rowbinary';
import { sqlFloat64, sqlInt } from '../../src/server/clickhouse/sqlnumber';
import { identifier, tables } from '../../src/server/clickhouse/conn';
import { firstErrorLine } from '../../src/server/clickhouse/http';

describe('RowBinary', () => {
  test('round trip of every column type, column-wise', () => {
    const cols = [
      { type: 'UInt8' as const, values: [0, 1, 255] },
      { type: 'Int32' as const, values: [-2147483648, 0, 2147483647] },
      { type: 'Int64' as const, values: [-(2 ** 53) + 1, -1, 2 ** 53 - 1] },
      { type: 'UInt64' as const, values: [0, 2 ** 32, 2 ** 53 - 1] },
      { type: 'Float32' as const, values: [NaN, -Infinity, 1.5] },
      { type: 'Float64' as const, values: [-0, 5e-324, 1.7976931348623157e308] },
      { type: 'String' as const, values: ['', "quote ' and \\ and \t\n", 'ü€😀'.repeat(50)] },
    ];
    const buf = encodeRowBinary(cols);
    const out = decodeRowBinary(buf, cols.map((c) => c.type));
    expect(out[0].values).toEqual(Uint8Array.from([0, 1, 255]));
    expect(out[1].values).toEqual(Int32Array.from([-2147483648, 0, 2147483647]));
    expect(Array.from(out[2].values as Float64Array)).toEqual([-(2 ** 53) + 1, -1, 2 ** 53 - 1]);
    expect(Array.from(out[3].values as Float64Array)).toEqual([0, 2 ** 32, 2 ** 53 - 1]);
    expect(out[4].values).toEqual(Float32Array.from([NaN, -Infinity, 1.5]));
    expect(Object.is((out[5].values as Float64Array)[0], -0)).toBe(true);
    expect(Array.from(out[5].values as Float64Array).slice(1)).toEqual([5e-324, 1.7976931348623157e308]);
    expect(out[6].values).toEqual(cols[6].values);
  });

  test('the byte layout is ClickHouse\'s: little-endian, LEB128 string lengths, Nullable flag byte', () => {
    const buf = encodeRowBinary([{ type: 'Int64', values: [-2] }, { type: 'String', values: ['a'.repeat(200)] }]);
    expect(buf.subarray(0, 8)).toEqual(Buffer.from('feffffffffffffff', 'hex'));
    expect(buf.subarray(8, 10)).toEqual(Buffer.from([0xc8, 0x01])); // 200 = 0x48 | 0x80, then 1
    const nullable = Buffer.concat([Buffer.from([1]), Buffer.from([0]), Buffer.from(new Float64Array([2.5]).buffer)]);
    const [c] = decodeRowBinary(nullable, ['Nullable(Float64)']);
    expect(Array.from(c.nulls!)).toEqual([1, 0]);
    expect(Array.from(c.values as Float64Array)).toEqual([NaN, 2.5]);
  });

  test('a malformed answer is refused, not misread', () => {
    expect(() => decodeRowBinary(Buffer.alloc(13), ['Int32', 'Float64'])).toThrow(/not a whole number/);
    expect(() => decodeRowBinary(Buffer.from([5, 0x61]), ['String'])).toThrow(/cut short/);
    expect(() => decodeRowBinary(Buffer.from('ffffffffffffff7f', 'hex'), ['Int64'])).toThrow(/beyond 2\^53/);
    expect(() => encodeRowBinary([{ type: 'Int64', values: [0.5] }])).toThrow(RangeError);
    expect(() => encodeRowBinary([{ type: 'Int32', values: [1] }, { type: 'Int32', values: [] }])).toThrow(/different lengths/);
  });
});

describe('numbers and names in SQL text', () => {
  test('float64 literals: decimal that round-trips, -0, subnormals by their bytes, never text', () => {
    expect(sqlFloat64(1000)).toBe('toFloat64(1000.0)');
    expect(sqlFloat64(0.1)).toBe('toFloat64(0.1)');
    expect(sqlFloat64(-0)).toBe('toFloat64(-0.0)');
    expect(sqlFloat64(1e21)).toBe('toFloat64(1e+21)');
    expect(sqlFloat64(5e-324)).toBe("reinterpretAsFloat64(unhex('0100000000000000'))");
    for (const bad of [NaN, Infinity, '1); DROP TABLE x; --' as unknown as number]) expect(() => sqlFloat64(bad)).toThrow(RangeError);
    expect(() => sqlInt(1.5)).toThrow(RangeError);
    expect(() => sqlInt(-1, 0)).toThrow(RangeError);
  });

  test('identifiers are checked and quoted', () => {
    expect(identifier('metricgl_1', 'database')).toBe('`metricgl_1`');
    for (const bad of ['', 'a b', 'x`; DROP', '1abc', 'a.b', 'é']) expect(() => identifier(bad, 'database')).toThrow(/bad ClickHouse database name/);
    expect(tables({ url: 'http://h', database: 'd', cluster: 'c', shards: ['http://h'] })).toEqual({ points: '`d`.points', pointsLocal: '`d`.points_local', series: '`d`.series', files: '`d`.files', runs: '`d`.runs', meta: '`d`.meta' });
    expect(tables({ url: 'http://h', database: 'd' }).pointsLocal).toBe('`d`.points');
    expect(() => tables({ url: 'http://h', database: 'd', cluster: 'c;' })).toThrow(/cluster name/);
  });

  test('error text: the first line, without the exception class', () => {
    expect(firstErrorLine('Code: 60, e.displayText() = DB::Exception: Table x.y doesn\'t exist., e.what() = DB::Exception\n\nStack trace:\n0. ...')).toBe("Code: 60, e.displayText() = DB::Exception: Table x.y doesn't exist.");
  });
});
