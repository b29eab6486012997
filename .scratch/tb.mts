import { Type, Kind } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
const M = Symbol.for('x.msg');
const inner = Type.String({ pattern: '^a+$', [M]: 'hi' } as any);
const S = Type.Object({ a: Type.Integer({ minimum: 0, maximum: 5, default: 1 }), b: Type.Union([Type.Literal('x'), Type.Literal('y')]), c: Type.Array(inner, { minItems: 1 }), d: Type.Object({ e: Type.Boolean() }, { additionalProperties: false }) }, { additionalProperties: false });
console.log((S.properties.c.items as any)[M], S.properties.c.items === inner);
for (const e of Value.Errors(S, { a: 1.5, b: 'z', c: ['b', 'aa', 3], zz: 1, d: 5 })) console.log(e.type, e.path, JSON.stringify(e.value), e.message, (e.schema as any)[M], e.schema === inner);
for (const e of Value.Errors(S, { a: 'soon', b: 'x', c: [], d: { e: true, f: 1 } })) console.log(e.type, e.path, JSON.stringify(e.value), e.message);
console.log(JSON.stringify(S));
