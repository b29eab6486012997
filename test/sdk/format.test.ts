import { it } from 'node:test';
import assert from 'node:assert/strict';
import { format } from 'node:util';
import { countPlaceholders, formatMessage, splitArgs } from '../../src/sdk/format.js';

const cases: [string, unknown[]][] = [
  ['plain', []],
  ['100%% sure', []],
  ['n=%d', [42]],
  ['n=%d', ['42']],
  ['i=%i f=%f', [3.9, 2.5]],
  ['s=%s', ['x']],
  ['s=%s', [{ a: 1 }]],
  ['s=%s', [10n]],
  ['j=%j', [{ a: [1, 2] }]],
  ['o=%o O=%O', [{ a: 1 }, [1]]],
  ['%s and %s', ['only one']],
  ['extra', [1, 'two', null, undefined]],
  ['extra obj', [{ deep: { x: 1 } }]],
  ['%c%s', ['color: red', 'styled']],
  ['trailing %', []],
  ['%x unknown', [5]],
];

it('formats exactly like util.format', () => {
  for (const [msg, args] of cases) assert.equal(formatMessage(msg, args, args.length), format(msg, ...args), msg);
});

it('a trailing plain object that no placeholder takes is data, not a format argument', () => {
  assert.deepEqual(splitArgs('saved %s', ['id', { ms: 3 }]), { formatCount: 1, data: { ms: 3 } });
  assert.deepEqual(splitArgs('payload %j', [{ a: 1 }]), { formatCount: 1, data: undefined });
  assert.deepEqual(splitArgs('list', [[1, 2]]), { formatCount: 1, data: undefined });
  assert.equal(countPlaceholders('%% %s %d %%'), 2);
});
