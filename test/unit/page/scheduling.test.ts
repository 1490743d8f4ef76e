import { describe, expect, it } from 'vitest';
import { SliceRunner } from '../../../lib/page/slice-runner';
import { WorkBudget } from '../../../lib/page/work-budget';

describe('SliceRunner', () => {
  it('runs work in slices that end at their deadline and gives the thread back between them', async () => {
    let clock = 0;
    let units = 25;
    const events: string[] = [];
    const runner = new SliceRunner(
      (deadline) => {
        while (units > 0 && clock < deadline) {
          units--;
          clock += 1; // one unit of work costs 1 ms
        }
        events.push(`slice@${clock}`);
        return units > 0;
      },
      { afterSlice: () => 0, idle: () => events.push('idle') },
      {
        sliceMs: 4,
        now: () => clock,
        yieldToPage: async () => {
          events.push('yield');
        },
        sleep: async () => undefined,
      },
    );
    runner.request();
    runner.request(); // a second request while running is folded into the same run
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual([
      'yield',
      'slice@4',
      'yield',
      'slice@8',
      'yield',
      'slice@12',
      'yield',
      'slice@16',
      'yield',
      'slice@20',
      'yield',
      'slice@24',
      'yield',
      'slice@25',
      'idle',
    ]);
    expect(runner.longestSlice).toBe(4);
    expect(runner.busy).toBe(false);
  });

  it('waits as long as the observer asks before the next slice', async () => {
    const waits: number[] = [];
    let left = 3;
    const runner = new SliceRunner(
      () => --left > 0,
      { afterSlice: () => 100, idle: () => undefined },
      {
        sliceMs: 4,
        now: () => 0,
        yieldToPage: async () => undefined,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );
    runner.request();
    await new Promise((r) => setTimeout(r, 0));
    expect(waits).toEqual([100, 100]);
  });
});

describe('WorkBudget', () => {
  const options = { maxChars: 1000, maxHits: 10, windowMs: 1000, maxBusyShare: 0.25, maxDelayMs: 800 };

  it('lets a page that leaves the thread mostly free run without delay', () => {
    const budget = new WorkBudget(options);
    for (let t = 0; t < 5000; t += 100) {
      budget.spend(10, 20, t); // 20 % busy
      expect(budget.delayBeforeNext(t)).toBe(0);
    }
  });

  it('backs off, doubling, while a page keeps the scanner busy, and recovers when it calms down', () => {
    const budget = new WorkBudget(options);
    const delays: number[] = [];
    for (let t = 0; t < 1000; t += 10) budget.spend(0, 5, t); // 50 % busy
    for (let i = 0; i < 6; i++) delays.push(budget.delayBeforeNext(1000));
    expect(delays).toEqual([50, 100, 200, 400, 800, 800]);
    expect(budget.delayBeforeNext(3000)).toBe(0);
  });

  it('says when the character or highlight budget is spent, until reset', () => {
    const budget = new WorkBudget(options);
    budget.spend(999, 1, 0);
    expect(budget.charsExhausted).toBe(false);
    budget.spend(1, 1, 1);
    expect(budget.charsExhausted).toBe(true);
    expect(budget.hitsExhausted(10)).toBe(true);
    expect(budget.hitsExhausted(9)).toBe(false);
    budget.reset();
    expect(budget.charsExhausted).toBe(false);
  });
});
