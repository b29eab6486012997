/**
 * The two record shapes every contender of bench/e2e logs, so that distlog and
 * its peers move the same records:
 *   small: `order <i> processed` + 3 attributes (a string, a number, a boolean);
 *   2kb:   `order <i> ` + a 2,048-character message + 20 attributes
 *          (10 short strings, 10 numbers), a "large record" of issue 8.
 * Attribute objects are made per call, as an application would.
 */
export type Shape = 'small' | '2kb';
export const SHAPES: readonly Shape[] = ['small', '2kb'];

const WORDS = 'the quick brown fox jumps over the lazy dog while the order service reserves stock ';
/** 2,048 characters of text. */
export const PAYLOAD_2K = WORDS.repeat(Math.ceil(2048 / WORDS.length)).slice(0, 2048);

export function isShape(s: string): s is Shape {
  return (SHAPES as readonly string[]).includes(s);
}

export function smallAttributes(i: number): Record<string, string | number | boolean> {
  return { shop: 'eu-1', amount: i % 1000, ok: true };
}

export function largeAttributes(i: number): Record<string, string | number> {
  return {
    'order.id': `ord-${i}`, 'customer.id': `cust-${i % 5000}`, 'shop.region': 'eu-west-1', 'shop.name': 'main-store',
    'payment.method': 'card', 'payment.currency': 'EUR', 'http.method': 'POST', 'http.route': '/api/orders/:id',
    'user.agent': 'bench-client/1.0', 'feature.flag': 'checkout-v2',
    'order.amount': i % 1000, 'order.items': i % 17, 'order.weight': (i % 300) / 10, 'http.status': 200,
    'db.rows': i % 50, 'cache.hits': i % 7, 'retry.count': 0, 'queue.depth': i % 128, 'latency.ms': (i % 900) / 3, 'attempt': 1,
  };
}

/** The message text of record i (what a formatter would produce). */
export function messageOf(shape: Shape, i: number): string {
  return shape === 'small' ? `order ${i} processed` : `order ${i} ${PAYLOAD_2K}`;
}
