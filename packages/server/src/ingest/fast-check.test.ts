/**
 * The fast path and the contract's zod schemas give the same verdict: on valid events of every
 * type, and on thousands of random mutations of them (wrong types, bounds, missing and extra
 * fields, bad names and props).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_TYPES, type EventType, eventSchemas } from '@miniscope/contract';
import { Random } from '../demo/random.js';
import { fastCheck } from './fast-check.js';

const zodAccepts = (raw: unknown) => {
  const t = (raw as { t?: unknown } | null)?.t;
  return EVENT_TYPES.includes(t as EventType) && eventSchemas[t as EventType].safeParse(raw).success;
};

const VALID: Record<string, unknown>[] = [
  { id: 'a', t: 'open', ts: 1764000000000, sid: 's', scene: 1047, path: 'pages/index/index', cold: true },
  { id: 'b', t: 'pv', ts: 1, sid: 's', path: 'p' },
  { id: 'c', t: 'leave', ts: 1764000000000, sid: 's', path: 'p', dur: 0 },
  { id: 'd', t: 'share', ts: 1764000000000, sid: 's', path: 'p', to: 'timeline' },
  { id: 'e', t: 'hide', ts: 1764000000000, sid: 's' },
  {
    id: 'f',
    t: 'event',
    ts: 1764000000000,
    sid: 's',
    name: 'add_to_cart',
    props: { sku: 'A1', price: 1.5, vip: false },
  },
  { id: 'g', t: 'event', ts: 1764000000000, sid: 's', path: 'p', name: 'x' },
];

const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'X'.repeat(65),
  'p'.repeat(256),
  'p'.repeat(257),
  'p'.repeat(513),
  0,
  -1,
  1,
  1.5,
  65535,
  65536,
  86_400_000,
  86_400_001,
  8.64e15,
  8.64e15 + 1,
  true,
  false,
  [],
  {},
  { a: 1 },
  'chat',
  'timeline',
  'open',
  'pv',
  'leave',
  'share',
  'hide',
  'event',
  'click',
  'Add',
  'a'.repeat(32),
  'a'.repeat(33),
  '9a',
  'a-b',
  Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])),
  { '': 1 },
  { ['k'.repeat(65)]: 1 },
  { k: null },
  { k: [1] },
  { k: 'v'.repeat(513) },
  { k: { n: 1 } },
  // Lone surrogates (an emoji cut in half), alone or at either end, in values, keys and props.
  '\ud83d',
  'a\ude00',
  'pages/\ud83d/index',
  '😀',
  { k: '\ud83d' },
  { '\ude00': 1 },
  { k: '😀' },
];
const FIELDS = ['id', 't', 'ts', 'sid', 'scene', 'path', 'cold', 'dur', 'to', 'name', 'props', 'extra'];

test('valid events of every type pass both, and come back as the same object', () => {
  for (const e of VALID) {
    assert.ok(zodAccepts(e), JSON.stringify(e));
    assert.equal(fastCheck(e), e);
  }
});

test('the fast path and zod agree on random mutations', () => {
  const random = new Random(7);
  let rejected = 0;
  for (let i = 0; i < 20_000; i++) {
    const e: Record<string, unknown> = { ...random.pick(VALID) };
    for (let n = random.int(1, 3); n > 0; n--) {
      const field = random.pick(FIELDS);
      if (random.chance(0.2)) delete e[field];
      else e[field] = random.pick(ODD_VALUES);
    }
    const zod = zodAccepts(e);
    assert.equal(fastCheck(e) !== undefined, zod, `disagree on ${JSON.stringify(e)}`);
    if (!zod) rejected++;
  }
  assert.ok(rejected > 5_000 && rejected < 19_000, `${rejected} of 20000 mutations rejected: both kinds are exercised`);
  for (const odd of [null, 1, 'x', [], [VALID[0]]]) assert.equal(fastCheck(odd), undefined);
});

test('a lone surrogate in any string field or prop fails both; a whole emoji passes', () => {
  const base = VALID[5]!;
  for (const [field, value] of [
    ['id', 'e\ud83d'],
    ['sid', '\udc00s'],
    ['path', 'pages/\ud83d'],
    ['props', { sku: 'A\ud83d' }],
    ['props', { '\ud83dk': 1 }],
  ] as const) {
    const e = { ...base, [field]: value };
    assert.equal(zodAccepts(e), false, JSON.stringify(e));
    assert.equal(fastCheck(e), undefined, JSON.stringify(e));
  }
  const emoji = { ...base, path: 'pages/😀', props: { '😀': '🛒' } };
  assert.ok(zodAccepts(emoji));
  assert.equal(fastCheck(emoji), emoji);
});
