import { describe, expect, it } from 'vitest';
import { TabState } from '../../../lib/page/tab-state';

describe('TabState', () => {
  it('merges all frames of a tab and adds up counts', () => {
    const state = new TabState();
    state.report(1, 0, [{ type: 'ipv4', value: '203.0.113.7', count: 2 }], 'https://siem/');
    state.report(1, 5, [
      { type: 'ipv4', value: '203.0.113.7', count: 1 },
      { type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f', count: 1 },
    ]);
    expect(state.indicators(1)).toEqual([
      { type: 'ipv4', value: '203.0.113.7', count: 3 },
      { type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f', count: 1 },
    ]);
    expect(state.count(1)).toBe(2);
    expect(state.indicators(2)).toEqual([]);
  });

  it('replaces a frame on its next report and forgets a closed tab', () => {
    const state = new TabState();
    state.report(1, 0, [{ type: 'ipv4', value: '203.0.113.7', count: 2 }]);
    state.report(1, 0, [{ type: 'domain', value: 'evil.example', count: 1 }]);
    expect(state.indicators(1).map((i) => i.value)).toEqual(['evil.example']);
    state.report(1, 0, []);
    expect(state.count(1)).toBe(0);
    state.report(1, 0, [{ type: 'domain', value: 'evil.example', count: 1 }]);
    state.clearTab(1);
    expect(state.tabIds()).toEqual([]);
  });

  it('survives a round trip through session storage', () => {
    const state = new TabState();
    state.report(3, 0, [{ type: 'cve', value: 'CVE-2023-23397', count: 1 }], 'https://intel/');
    state.report(3, 2, [{ type: 'asn', value: 'AS13335', count: 4 }]);
    const copy = TabState.fromJSON(JSON.parse(JSON.stringify(state.toJSON())));
    expect(copy.indicators(3)).toEqual(state.indicators(3));
    expect(TabState.fromJSON('garbage').tabIds()).toEqual([]);
  });
});
