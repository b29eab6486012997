/**
 * Byte-level helpers shared by the two JSON-line writers (json-line.ts from
 * objects, line-buffer.ts from protobuf bytes): the word-wise check that bytes
 * need no JSON escaping, and integers written as digits without a string.
 */

/** An ASCII byte that JSON writes as itself inside a string. */
function plainByte(c: number): boolean {
  return c >= 0x20 && c < 0x80 && c !== 0x22 && c !== 0x5c;
}

/**
 * True when buf[from, to) holds only ASCII that JSON writes as itself: no
 * control character, `"`, `\` or byte >= 0x80. `words` is `buf`'s ArrayBuffer
 * as 32-bit words (buf at offset 0 of it), tested whole with the classic "has
 * a byte below n / equal to c" bit tricks: a JS loop costs ~2.5 ns a byte here.
 */
export function plainJsonAscii(buf: Uint8Array, words: Int32Array, from: number, to: number): boolean {
  let i = from;
  const head = Math.min(to, (from + 3) & ~3);
  for (; i < head; i++) if (!plainByte(buf[i]!)) return false;
  const last = (to & ~3) >> 2;
  for (let w = i >> 2; w < last; w++) {
    const x = words[w]!;
    const q = x ^ 0x22222222;
    const b = x ^ 0x5c5c5c5c;
    if ((x | ((x - 0x20202020) & ~x) | ((q - 0x01010101) & ~q) | ((b - 0x01010101) & ~b)) & 0x80808080) return false;
  }
  for (i = Math.max(i, last << 2); i < to; i++) if (!plainByte(buf[i]!)) return false;
  return true;
}

/** Writes the non-negative integer n (< 2^53) as decimal digits at buf[pos]; returns the position after them. */
export function writeUintDigits(buf: Uint8Array, pos: number, n: number): number {
  if (n < 10) {
    buf[pos] = 0x30 + n;
    return pos + 1;
  }
  if (n < 0x80000000) {
    // int32 arithmetic: a third of the cost of the float divisions below
    let digits = 1;
    for (let x = (n / 10) | 0; x > 0; x = (x / 10) | 0) digits++;
    let p = pos + digits;
    let x = n | 0;
    while (x > 0) {
      const q = (x / 10) | 0;
      buf[--p] = 0x30 + x - q * 10;
      x = q;
    }
    return pos + digits;
  }
  let digits = 0;
  for (let x = n; x >= 1; x = Math.floor(x / 10)) digits++;
  let p = pos + digits;
  let x = n;
  while (x >= 1) {
    const q = Math.floor(x / 10);
    buf[--p] = 0x30 + (x - q * 10);
    x = q;
  }
  return pos + digits;
}
