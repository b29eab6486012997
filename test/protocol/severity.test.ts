import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levelNameFromSeverity, severityFromLevelName, severityFromPythonLevel } from '../../src/protocol/index.js';

test('level names map to the first number of their OTel range', () => {
  assert.deepEqual(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].map(severityFromLevelName), [1, 5, 9, 13, 17, 21]);
  assert.equal(severityFromLevelName('warning'), 13);
  assert.equal(severityFromLevelName('CRITICAL'), 21);
  assert.equal(severityFromLevelName('info3'), 11);
  assert.equal(severityFromLevelName('FATAL4'), 24);
  assert.equal(severityFromLevelName('whatever'), 0);
});

test('every severity 1..24 names its range', () => {
  const names = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  for (let n = 1; n <= 24; n++) assert.equal(levelNameFromSeverity(n), names[Math.floor((n - 1) / 4)]);
  assert.equal(levelNameFromSeverity(0), 'UNSPECIFIED');
  assert.equal(levelNameFromSeverity(25), 'UNSPECIFIED');
});

test('Python levels map onto OTel ranges and interpolate between them', () => {
  assert.deepEqual([10, 20, 30, 40, 50].map(severityFromPythonLevel), [5, 9, 13, 17, 21]);
  assert.equal(severityFromPythonLevel(25), 11);
  assert.equal(severityFromPythonLevel(15), 7);
  assert.equal(severityFromPythonLevel(5), 3);
  assert.equal(severityFromPythonLevel(1), 1);
  assert.equal(severityFromPythonLevel(60), 24);
  assert.equal(severityFromPythonLevel(0), 0);
});
