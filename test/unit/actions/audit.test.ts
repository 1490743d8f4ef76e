import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import {
  ActionsDatabase,
  AUDIT_DB_NAME,
  type AuditEntry,
  AuditLog,
  makeRedactor,
} from '../../../lib/actions/audit';

const T0 = Date.parse('2026-01-05T10:00:00Z');
function entry(i: number, patch: Partial<AuditEntry> = {}): Omit<AuditEntry, 'id'> {
  return {
    time: T0 + i * 86_400_000,
    operationId: `op-${i}`,
    phase: 'outcome',
    instanceId: i % 2 ? 'cs' : 'mde',
    instanceLabel: i % 2 ? 'Falcon' : 'Defender',
    vendor: i % 2 ? 'crowdstrike' : 'defender',
    action: i % 3 ? 'block_ip' : 'isolate_host',
    targetType: 'ipv4',
    target: `45.77.12.${i}`,
    pageUrl: 'https://siem.example/case',
    result: i % 4 ? 'done' : 'failed',
    reference: `ref-${i}`,
    message: `message ${i}`,
    ...patch,
  };
}
const fresh = () => new ActionsDatabase({ indexedDB: new IDBFactory(), IDBKeyRange });

describe('audit log', () => {
  it('uses its own database', () => {
    expect(fresh().name).toBe(AUDIT_DB_NAME);
    expect(AUDIT_DB_NAME).toBe('riposte-audit');
  });

  it('keeps version 1 of the schema as released (versions are append-only)', () => {
    const db = fresh();
    expect(db.verno).toBe(1);
    const tables = Object.fromEntries(
      db.tables.map((t) => [
        t.name,
        [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].join(', '),
      ]),
    );
    expect(tables).toEqual({
      entries: '++id, time, operationId, instanceId, action, result',
      pending: 'operationId, nextPollAt',
    });
  });

  it('filters by instance, action, result, time and text, newest first', async () => {
    const log = new AuditLog(fresh());
    for (let i = 1; i <= 8; i++) await log.record(entry(i));
    expect((await log.list()).map((e) => e.operationId)).toEqual([
      'op-8',
      'op-7',
      'op-6',
      'op-5',
      'op-4',
      'op-3',
      'op-2',
      'op-1',
    ]);
    expect((await log.list({ instanceId: 'cs' })).map((e) => e.operationId)).toEqual([
      'op-7',
      'op-5',
      'op-3',
      'op-1',
    ]);
    expect((await log.list({ action: 'isolate_host' })).map((e) => e.operationId)).toEqual(['op-6', 'op-3']);
    expect((await log.list({ result: 'failed' })).map((e) => e.operationId)).toEqual(['op-8', 'op-4']);
    expect(
      (await log.list({ from: T0 + 2 * 86_400_000, to: T0 + 3 * 86_400_000 })).map((e) => e.operationId),
    ).toEqual(['op-3', 'op-2']);
    expect((await log.list({ text: 'REF-5' })).map((e) => e.operationId)).toEqual(['op-5']);
  });

  it('exports CSV (quoted, formula-safe) and JSON with ISO times', async () => {
    const log = new AuditLog(fresh());
    await log.record(entry(1, { message: 'said "no", then, retried', target: '=HYPERLINK("http://x")' }));
    const csv = await log.exportCsv();
    const [header, row] = csv.trim().split('\r\n');
    expect(header).toBe(
      'time,operationId,phase,instanceLabel,vendor,action,targetType,target,pageUrl,result,reference,message,note',
    );
    expect(row).toContain('2026-01-06T10:00:00.000Z');
    expect(row).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(row).toContain('"said ""no"", then, retried"');
    const json = JSON.parse(await log.exportJson());
    expect(json[0]).toMatchObject({ time: '2026-01-06T10:00:00.000Z', target: '=HYPERLINK("http://x")' });
  });

  it('purges entries older than the retention', async () => {
    const log = new AuditLog(fresh());
    for (let i = 1; i <= 8; i++) await log.record(entry(i));
    const removed = await log.purge(3, T0 + 8 * 86_400_000);
    expect(removed).toBe(4);
    expect((await log.list()).map((e) => e.operationId)).toEqual(['op-8', 'op-7', 'op-6', 'op-5']);
  });

  it('scrubs secrets from every stored field', async () => {
    const secret = 'cs-client-secret-zzz';
    const db = fresh();
    const log = new AuditLog(
      db,
      makeRedactor(() => [secret]),
    );
    await log.record(
      entry(1, { message: `401 for ${secret}`, pageUrl: `https://x/?token=${secret}`, note: secret }),
    );
    const raw = JSON.stringify(await db.entries.toArray());
    expect(raw).not.toContain(secret);
    expect(raw).toContain('401 for ••••••');
  });

  it('completes a pending operation exactly once', async () => {
    const db = fresh();
    const log = new AuditLog(db);
    await db.pending.put({
      operationId: 'op-1',
      instanceId: 'mde',
      instanceLabel: 'Defender',
      vendor: 'defender',
      action: 'isolate_host',
      targetType: 'hostname',
      target: 'ws-1',
      handle: { state: { actionId: 'a' } },
      startedAt: T0,
      nextPollAt: T0,
      polls: 0,
      deadline: T0 + 1,
      lastMessage: '',
    });
    const results = await Promise.all([
      log.completePending('op-1', entry(1)),
      log.completePending('op-1', entry(1)),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await db.entries.count()).toBe(1);
    expect(await db.pending.count()).toBe(0);
  });
});
