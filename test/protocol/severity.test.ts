import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LEVEL_ALIASES,
  LEVEL_NAMES,
  levelNameFromSeverity,
  levelWordPattern,
  OFF_SEVERITY,
  severityFromLevelName,
  severityFromPythonLevel,
  severityOfLevelWord,
  thresholdOfLevelWord,
} from '../../src/protocol/index.js';

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

test('one table of level words: aliases and NOTICE mean the same severity for records and thresholds', () => {
  const words: [string, number][] = [
    ['warning', 13], ['WARN', 13], ['err', 17], ['Critical', 21], ['crit', 21], ['notice', 10],
    ['alert', 22], ['emerg', 23], ['EMERGENCY', 23], ['info2', 10], ['TRACE4', 4],
  ];
  for (const [word, n] of words) {
    assert.equal(severityOfLevelWord(word), n, word);
    assert.equal(thresholdOfLevelWord(word), n, word);
    assert.equal(severityFromLevelName(word), n, word);
  }
  assert.equal(levelNameFromSeverity(severityFromLevelName('NOTICE')), 'INFO', 'a notice is an INFO record');
  // OFF is a threshold above every record, never a record's level.
  assert.equal(thresholdOfLevelWord('off'), OFF_SEVERITY);
  assert.equal(severityOfLevelWord('off'), undefined);
  assert.equal(severityFromLevelName('OFF'), 0);
  for (const junk of ['warning2', 'INFO5', 'INFO1', 'verbose', '', 'WARNN']) assert.equal(thresholdOfLevelWord(junk), undefined, junk);
});

test('the JSON Schema pattern for level words accepts exactly the words the table knows', () => {
  const re = new RegExp(levelWordPattern(), 'u');
  const candidates = ['trace', 'DEBUG', 'Info', 'wArN', 'warning', 'Error', 'fatal', 'notice', 'crit', 'off', 'OFF', 'info3', 'FATAL4',
    'warning2', 'INFO5', 'verbose', 'info ', ' INFO', 'INFOINFO', '', 'WARNN'];
  for (const w of candidates) assert.equal(re.test(w), thresholdOfLevelWord(w) !== undefined, w);
  assert.deepEqual([...LEVEL_NAMES], ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
  assert.ok(LEVEL_ALIASES.includes('NOTICE') && LEVEL_ALIASES.includes('WARNING'));
});
