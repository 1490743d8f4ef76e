import { describe, expect, it } from 'vitest';
import type { CountedIndicator } from '../../../lib/messaging/schemas';
import { createPageModel } from '../../../lib/panel/page-model';

const list: CountedIndicator[] = [
  { type: 'domain', value: 'c2.badcdn.net', count: 1 },
  { type: 'ipv4', value: '198.51.100.23', count: 3, scope: 'documentation' },
  { type: 'attack_technique', value: 'T1059.001', count: 1 },
  { type: 'ipv4', value: '10.20.4.31', count: 7, scope: 'private' },
  { type: 'ipv4', value: '203.0.113.9', count: 1 },
];

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('page model', () => {
  it('groups by type in contract order, most frequent first, with a heading row per type', async () => {
    const model = createPageModel(async () => list);
    await model.follow(7);
    expect(model.status.value).toBe('ready');
    expect(
      model.rows.value.map((r) => (r.kind === 'group' ? `# ${r.label} ${r.total}` : r.item.value)),
    ).toEqual([
      '# IPv4 addresses 3',
      '10.20.4.31',
      '198.51.100.23',
      '203.0.113.9',
      '# Domains 1',
      'c2.badcdn.net',
      '# ATT&CK techniques 1',
      'T1059.001',
    ]);
    expect(model.techniques.value.map((t) => t.value)).toEqual(['T1059.001']);
  });

  it('filters by value (case-insensitively, so t1059 finds T1059.001) and by type name', async () => {
    const model = createPageModel(async () => list);
    await model.follow(7);
    model.filter.value = 't1059';
    expect(model.visible.value.map((i) => i.value)).toEqual(['T1059.001']);
    model.filter.value = 'domains';
    expect(model.visible.value.map((i) => i.value)).toEqual(['c2.badcdn.net']);
    model.filter.value = '198.51';
    const group = model.rows.value[0];
    expect(group).toMatchObject({ kind: 'group', shown: 1, total: 3 });
  });

  it('folds and unfolds a group; positions stay those of the whole list', async () => {
    const model = createPageModel(async () => list);
    await model.follow(7);
    model.toggleGroup('ipv4');
    expect(
      model.rows.value.filter((r) => r.kind === 'item').map((r) => (r.kind === 'item' ? r.position : 0)),
    ).toEqual([4, 5]);
    model.toggleGroup('ipv4');
    expect(model.rows.value).toHaveLength(8);
  });

  it('reveal unfolds the group and clears a filter that hides the target', async () => {
    const model = createPageModel(async () => list);
    await model.follow(7);
    model.toggleGroup('ipv4');
    model.filter.value = 'badcdn';
    const index = model.reveal({ type: 'ipv4', value: '203.0.113.9' });
    expect(model.filter.value).toBe('');
    expect(model.rows.value[index]).toMatchObject({ kind: 'item', item: { value: '203.0.113.9' } });
    expect(model.focused.value).toEqual({ type: 'ipv4', value: '203.0.113.9' });
  });

  it('drops a late answer for a tab it no longer follows', async () => {
    const answers = new Map([
      [1, deferred<CountedIndicator[]>()],
      [2, deferred<CountedIndicator[]>()],
    ]);
    const model = createPageModel(
      (tabId) => (answers.get(tabId) as ReturnType<typeof deferred<CountedIndicator[]>>).promise,
    );
    const first = model.follow(1);
    const second = model.follow(2);
    answers.get(2)?.resolve([{ type: 'domain', value: 'two.example', count: 1 }]);
    await second;
    answers.get(1)?.resolve([{ type: 'domain', value: 'one.example', count: 1 }]);
    await first;
    expect(model.tabId.value).toBe(2);
    expect(model.indicators.value.map((i) => i.value)).toEqual(['two.example']);
  });

  it('says why when the background fails, and recovers on the next refresh', async () => {
    let fail = true;
    const model = createPageModel(async () => {
      if (fail) throw new Error('The tab is gone.');
      return list;
    });
    await model.follow(3);
    expect(model.status.value).toBe('error');
    expect(model.error.value).toBe('The tab is gone.');
    fail = false;
    await model.refresh();
    expect(model.status.value).toBe('ready');
    expect(model.error.value).toBeUndefined();
  });

  it('keeps the same list object when a refresh brings nothing new (no re-render)', async () => {
    const model = createPageModel(async () => list.map((i) => ({ ...i })));
    await model.follow(7);
    const before = model.indicators.value;
    await model.refresh();
    expect(model.indicators.value).toBe(before);
  });

  it('starts over, loading, when the tab navigates', async () => {
    const model = createPageModel(async () => list);
    await model.follow(7);
    model.reset();
    expect(model.indicators.value).toEqual([]);
    expect(model.status.value).toBe('loading');
  });
});
