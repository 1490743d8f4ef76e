import { describe, expect, it } from 'vitest';
import type { Card } from '../../../lib/knowledge/card';
import { createCardModel } from '../../../lib/panel/card-model';

const card = (id: string, name: string) => ({ kind: 'mitigation', id, name }) as unknown as Card;
const cards = new Map([
  ['T1003', card('T1003', 'OS Credential Dumping')],
  ['M1043', card('M1043', 'Credential Access Protection')],
  ['G0016', card('G0016', 'APT29')],
]);

describe('card model', () => {
  it('opens cards on a stack and goes back through them, then to the page', async () => {
    const model = createCardModel(async (id) => cards.get(id) ?? null);
    await model.open('T1003');
    await model.open('M1043');
    await model.open('M1043');
    expect(model.stack.value).toEqual(['T1003', 'M1043']);
    expect(model.canGoBack.value).toBe(true);
    await model.back();
    expect(model.view.value).toMatchObject({ id: 'T1003', state: 'ready' });
    expect(model.canGoBack.value).toBe(false);
    await model.back();
    expect(model.view.value).toBeUndefined();
    expect(model.stack.value).toEqual([]);
  });

  it('says when an id is unknown and when reading fails', async () => {
    const model = createCardModel(async (id) => {
      if (id === 'BOOM') throw new Error('IndexedDB is closed');
      return cards.get(id) ?? null;
    });
    await model.open('T9999');
    expect(model.view.value).toEqual({ id: 'T9999', state: 'missing' });
    await model.open('BOOM');
    expect(model.view.value).toEqual({ id: 'BOOM', state: 'error', error: 'IndexedDB is closed' });
  });

  it('shows the card opened last even when an earlier one answers later', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => {
      release = r;
    });
    const model = createCardModel(async (id) => {
      if (id === 'T1003') await slow;
      return cards.get(id) ?? null;
    });
    const first = model.open('T1003');
    await model.open('G0016');
    release();
    await first;
    expect(model.view.value).toMatchObject({ id: 'G0016', state: 'ready' });
  });
});
