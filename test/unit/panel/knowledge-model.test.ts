import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KnowledgeStatus } from '../../../lib/knowledge/queries';
import { createKnowledgeModel } from '../../../lib/panel/knowledge-model';

const empty: KnowledgeStatus = { state: 'empty', active: null, progress: null, lastError: null };
const active = (generation: number) =>
  ({
    state: 'ready',
    active: { generation, importedAt: '2026-11-28T01:00:00.000Z', sources: [], counts: {}, importMs: 1 },
    progress: null,
    lastError: null,
  }) as unknown as KnowledgeStatus;

afterEach(() => {
  vi.useRealTimers();
});

describe('knowledge model', () => {
  it('polls while an import runs and tells the panel when new knowledge is active', async () => {
    vi.useFakeTimers();
    const statuses: KnowledgeStatus[] = [
      empty,
      { ...empty, progress: { phase: 'parse', fraction: 0.4, message: 'Parsing ATT&CK', startedAt: '' } },
      active(1),
    ];
    let calls = 0;
    const changed = vi.fn();
    const model = createKnowledgeModel({
      status: async () => statuses[Math.min(calls++, statuses.length - 1)] as KnowledgeStatus,
      update: async () => undefined,
      pollMs: 100,
      onChanged: changed,
    });
    await model.refresh();
    expect(model.ready.value).toBe(false);
    expect(model.running.value).toBe(false);
    calls = 1;
    await model.refresh();
    expect(model.running.value).toBe(true);
    expect(model.status.value?.progress?.message).toBe('Parsing ATT&CK');
    await vi.advanceTimersByTimeAsync(100);
    expect(model.ready.value).toBe(true);
    expect(model.running.value).toBe(false);
    expect(changed).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(3);
    model.dispose();
  });

  it('puts an update failure in words and is not stuck in "updating"', async () => {
    const model = createKnowledgeModel({
      status: async () => empty,
      update: async () => {
        throw new Error('Could not download ATT&CK Enterprise: HTTP 404');
      },
    });
    await model.startUpdate();
    expect(model.updateError.value).toBe('Could not download ATT&CK Enterprise: HTTP 404');
    expect(model.running.value).toBe(false);
  });

  it('reports a database that cannot be read', async () => {
    const model = createKnowledgeModel({
      status: async () => {
        throw new Error('QuotaExceededError');
      },
      update: async () => undefined,
    });
    await model.refresh();
    expect(model.readError.value).toBe('QuotaExceededError');
  });
});
