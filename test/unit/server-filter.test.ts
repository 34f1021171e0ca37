/** The filter language as the server gets it: the parsed tree, checked, evaluated (src/query/filter). */
import { describe, expect, test } from 'vitest';
import { checkFilterNode, compileFilter, evalFilter, parseFilter, type FilterNode } from '../../src/query/filter';

const runs = [
  { run: 'a', lr: '1e-3', steps: '3000' },
  { run: 'b', lr: '3e-4', steps: '12000' },
  { run: `'; DROP TABLE points; --`, lr: '', steps: 'x' },
];

describe('filter tree', () => {
  test('parseFilter gives a JSON tree; and binds tighter than or; "" is null', () => {
    expect(parseFilter('run == "a" or not lr ~ "^3" and steps >= 10')).toEqual({
      op: 'or',
      left: { op: '==', field: 'run', value: 'a' },
      right: { op: 'and', left: { op: 'not', arg: { op: '~', field: 'lr', value: '^3' } }, right: { op: '>=', field: 'steps', value: 10 } },
    });
    expect(parseFilter('  ')).toBeNull();
  });

  test('evalFilter over a tree that went through JSON keeps what compileFilter keeps', () => {
    for (const src of ['steps >= 5000', 'lr != "1e-3"', 'run ~ "DROP"', 'not (run == "a") and steps < 99999', '']) {
      const node = checkFilterNode(JSON.parse(JSON.stringify(parseFilter(src) ?? { op: '!=', field: 'zz', value: '\u0001' })));
      expect(runs.filter((f) => evalFilter(node, f))).toEqual(runs.filter(compileFilter(src)));
    }
    expect(evalFilter(null, runs[0])).toBe(true);
  });

  test('checkFilterNode names what is wrong and where', () => {
    const bad = (v: unknown) => {
      try {
        checkFilterNode(v);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(bad(null)).toBe('where: not a filter node (an object with "op")');
    expect(bad({ op: 'or', left: { op: '==', field: 'a', value: 1 }, right: { op: 'not', arg: [] } })).toBe('where.right.arg: not a filter node (an object with "op")');
    expect(bad({ op: '==', field: '', value: 1 })).toMatch(/^where.field: a non-empty string/);
    expect(bad({ op: '<', field: 'a', value: Infinity })).toMatch(/^where.value: Infinity is not a finite number/);
    expect(bad({ op: '<', field: 'a', value: { $gt: 1 } })).toMatch(/^where.value: a string/);
    expect(bad({ op: '~', field: 'a', value: '(' })).toMatch(/^where.value: bad regular expression/);
    expect(bad({ op: '~', field: 'a', value: 'a'.repeat(300) })).toMatch(/longer than 256/);
    expect(bad({ op: '~', field: 'a', value: '(x+)*y' })).toMatch(/exponential time/);
    let deep: FilterNode = { op: '==', field: 'a', value: 1 };
    for (let i = 0; i < 100; i++) deep = { op: 'not', arg: deep };
    expect(bad(deep)).toMatch(/nested deeper than 64/);
    expect(bad({ op: '~', field: 'run', value: '^[a-c]+$' })).toBe('accepted');
  });
});
