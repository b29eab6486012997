/**
 * Finds where a JSON text goes wrong, as a byte offset, for error messages. Used
 * only after JSON.parse has failed (V8's messages give a UTF-16 index at best, and
 * none for some errors), so it favours clarity over speed, but stays linear:
 * it runs on whatever a sender made up. Accepts what parseJsonPayload accepts
 * beyond JSON (NaN, Infinity, -Infinity).
 */
export interface JsonErrorLocation {
  offset: number;
  reason: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

export function locateJsonError(b: Uint8Array): JsonErrorLocation {
  let i = 0;
  const n = b.length;
  const fail = (reason: string): never => {
    throw { offset: i, reason } satisfies JsonErrorLocation;
  };
  const show = (): string => (i >= n ? 'end of input' : b[i]! >= 0x20 && b[i]! < 0x7f ? `'${String.fromCharCode(b[i]!)}'` : `byte 0x${b[i]!.toString(16).padStart(2, '0')}`);
  const ws = (): void => {
    while (i < n && WS.has(b[i]!)) i++;
  };
  const lit = (word: string): void => {
    for (let k = 0; k < word.length; k++, i++) if (b[i] !== word.charCodeAt(k)) fail(`unexpected ${show()} in literal ${word}`);
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = b[i]!;
      if (c === 0x22) { i++; return; }
      if (c < 0x20) fail(`unescaped control character 0x${c.toString(16).padStart(2, '0')} in string`);
      if (c === 0x5c) {
        i++;
        const e = b[i];
        if (e === 0x75) {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(String.fromCharCode(b[i + k] ?? 0))) { i += k; fail('bad \\u escape'); }
          i += 5;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(String.fromCharCode(e))) fail(`bad escape ${show()}`);
      }
      i++;
    }
  };
  const number = (): void => {
    const start = i;
    if (b[i] === 0x2d) i++;
    const digits = (): number => { const s = i; while (i < n && b[i]! >= 0x30 && b[i]! <= 0x39) i++; return i - s; };
    if (b[i] === 0x30) i++;
    else if (digits() === 0) fail(`unexpected ${show()} in number`);
    if (b[i] === 0x2e) { i++; if (digits() === 0) fail(`unexpected ${show()} in number`); }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (digits() === 0) fail(`unexpected ${show()} in number`);
    }
    if (i === start) fail(`unexpected ${show()}`);
  };
  const value = (depth: number): void => {
    // Recursion bound for this locator only (JSON.parse has none): say so rather than blame this byte.
    if (depth > 2000) fail('nested more than 2000 levels deep; the syntax error, if any, lies further on');
    ws();
    const c = b[i];
    if (c === 0x7b) {
      i++; ws();
      if (b[i] === 0x7d) { i++; return; }
      for (;;) {
        ws();
        if (b[i] !== 0x22) fail(`expected a property name in double quotes, got ${show()}`);
        string(); ws();
        if (b[i] !== 0x3a) fail(`expected ':' after property name, got ${show()}`);
        i++;
        value(depth + 1); ws();
        if (b[i] === 0x2c) { i++; continue; }
        if (b[i] === 0x7d) { i++; return; }
        fail(`expected ',' or '}' in object, got ${show()}`);
      }
    }
    if (c === 0x5b) {
      i++; ws();
      if (b[i] === 0x5d) { i++; return; }
      for (;;) {
        value(depth + 1); ws();
        if (b[i] === 0x2c) { i++; continue; }
        if (b[i] === 0x5d) { i++; return; }
        fail(`expected ',' or ']' in array, got ${show()}`);
      }
    }
    if (c === 0x22) return string();
    if (c === 0x74) return lit('true');
    if (c === 0x66) return lit('false');
    if (c === 0x6e) return lit('null');
    // Python's json writes these; parseJsonPayload accepts them, so they are no error here.
    if (c === 0x4e) return lit('NaN');
    if (c === 0x49) return lit('Infinity');
    if (c === 0x2d && b[i + 1] === 0x49) { i++; return lit('Infinity'); }
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return number();
    fail(`unexpected ${show()}`);
  };
  try {
    value(0);
    ws();
    if (i < n) fail(`unexpected ${show()} after the JSON value`);
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'offset' in e) return e as JsonErrorLocation;
    throw e;
  }
  // JSON.parse failed but the scan did not (should not happen): say so rather than invent a place.
  return { offset: 0, reason: 'rejected by JSON.parse' };
}
