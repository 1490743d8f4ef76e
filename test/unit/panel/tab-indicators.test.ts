import { describe, expect, it } from 'vitest';
import { messages } from '../../../lib/messaging/protocol';
import { ErrorReplySchema, IndicatorRefSchema } from '../../../lib/messaging/schemas';
import { parseIndicatorRef, parseTabIndicatorsReply } from '../../../lib/panel/tab-indicators';

// The panel checks its first reply without zod (see lib/panel/tab-indicators.ts); it must accept and refuse exactly
// what the protocol's zod schemas do, and give the same data.
const ReplySchema = messages['tab.indicators'].reply;

const good = { type: 'ipv4', value: '10.0.0.1', count: 2, scope: 'private' };
const entries: unknown[] = [
  good,
  { type: 'domain', value: 'evil.example', count: 1 },
  { type: 'sha256', value: 'a'.repeat(64), count: 7, extra: 'dropped' },
  { type: 'url', value: 'x'.repeat(4096), count: 1 },
  { type: 'url', value: 'x'.repeat(4097), count: 1 },
  { type: 'ipv4', value: '', count: 1 },
  { type: 'ipv4', value: 42, count: 1 },
  { type: 'hostname', value: 'a.example', count: 1 },
  { type: 'ipv4', value: '10.0.0.1', count: 0 },
  { type: 'ipv4', value: '10.0.0.1', count: -3 },
  { type: 'ipv4', value: '10.0.0.1', count: 1.5 },
  { type: 'ipv4', value: '10.0.0.1', count: Number.NaN },
  { type: 'ipv4', value: '10.0.0.1', count: 2 ** 60 },
  { type: 'ipv4', value: '10.0.0.1', count: '3' },
  { type: 'ipv4', value: '10.0.0.1', count: 1, scope: 'nowhere' },
  { type: 'ipv4', value: '10.0.0.1', count: 1, scope: null },
  { type: 'ipv4', value: '10.0.0.1', count: 1, scope: undefined },
  { value: '10.0.0.1', count: 1 },
  null,
  'ipv4',
  [good],
];
const replies: unknown[] = [
  ...entries.map((e) => ({ indicators: [good, e] })),
  { indicators: [] },
  { indicators: 'none' },
  {},
  null,
  [],
  'indicators',
  { indicators: [good], error: 'Refused: unknown sender.' },
];

function outcome(run: () => unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: run() };
  } catch {
    return { ok: false };
  }
}

describe('parseTabIndicatorsReply', () => {
  it.each(replies.map((r) => [JSON.stringify(r) ?? String(r), r]))(
    'agrees with the protocol schema on %s',
    (_label, raw) => {
      const refusal = ErrorReplySchema.safeParse(raw);
      const zod = ReplySchema.safeParse(raw);
      const expected = refusal.success
        ? { ok: false }
        : zod.success
          ? { ok: true, value: zod.data.indicators }
          : { ok: false };
      expect(outcome(() => parseTabIndicatorsReply(raw))).toEqual(expected);
    },
  );

  it('says in words what is wrong, and passes the background refusal on', () => {
    expect(() => parseTabIndicatorsReply({ error: 'Refused: unknown sender.' })).toThrow(
      'Refused: unknown sender.',
    );
    expect(() =>
      parseTabIndicatorsReply({ indicators: [good, { type: 'ipv4', value: 'x', count: 0 }] }),
    ).toThrow('entry 2 has no positive whole count');
    expect(() => parseTabIndicatorsReply({})).toThrow('no list of indicators');
  });
});

describe('parseIndicatorRef', () => {
  it.each(entries.map((e) => [JSON.stringify(e) ?? String(e), e]))(
    'agrees with IndicatorRefSchema on %s',
    (_l, raw) => {
      const zod = IndicatorRefSchema.safeParse(raw);
      expect(parseIndicatorRef(raw)).toEqual(zod.success ? zod.data : undefined);
    },
  );
});
