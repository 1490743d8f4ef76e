import { describe, expect, it } from 'vitest';
import { createSearchModel, type SearchHit } from '../../../lib/panel/search-model';

const index: SearchHit[] = [
  { id: 'T1059.001', name: 'PowerShell', kind: 'technique' },
  { id: 'T1546.013', name: 'PowerShell Profile', kind: 'technique' },
  { id: 'G0016', name: 'APT29', kind: 'group' },
];
const search = async (q: string) =>
  index.filter((h) => `${h.id} ${h.name}`.toLowerCase().includes(q.toLowerCase()));

describe('search model', () => {
  it('answers as you type, the first result active; arrows wrap around', async () => {
    const model = createSearchModel(search);
    await model.setQuery('power');
    expect(model.results.value.map((h) => h.id)).toEqual(['T1059.001', 'T1546.013']);
    expect(model.activeHit.value?.id).toBe('T1059.001');
    expect(model.expanded.value).toBe(true);
    model.move(1);
    expect(model.activeHit.value?.id).toBe('T1546.013');
    model.move(1);
    expect(model.activeHit.value?.id).toBe('T1059.001');
    model.move(-1);
    expect(model.activeHit.value?.id).toBe('T1546.013');
  });

  it('an empty query closes the list; a stale answer never replaces a newer one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const model = createSearchModel(async (q) => {
      if (q === 'p') await gate;
      return search(q);
    });
    const stale = model.setQuery('p');
    await model.setQuery('apt');
    release();
    await stale;
    expect(model.results.value.map((h) => h.id)).toEqual(['G0016']);
    await model.setQuery('   ');
    expect(model.expanded.value).toBe(false);
    expect(model.results.value).toEqual([]);
  });

  it('reports a failed search in words', async () => {
    const model = createSearchModel(async () => {
      throw new Error('The knowledge database is not available.');
    });
    await model.setQuery('x');
    expect(model.status.value).toBe('error');
    expect(model.error.value).toBe('The knowledge database is not available.');
  });
});
