/**
 * Meta-test (STYLE.md #5): every registered connector has a unique id, an emulator in test/emulators/<id>.ts
 * exporting start<Vendor>Emulator(), and a test file that runs each action it declares (`actionTest('<kind>', …)`).
 * The D3FEND ids the actions carry out exist in the ontology under the names we show.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../../lib/actions/registry';
import { ACTION_COUNTERMEASURES, ACTION_KINDS, D3FEND } from '../../../lib/actions/types';

const repoRoot = path.resolve(__dirname, '../../..');

describe('connector registry', () => {
  it('registers every connector file, and files are named after the connector id', () => {
    const files = readdirSync(path.join(repoRoot, 'lib/actions/connectors'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(CONNECTORS.map((c) => c.id).sort()).toEqual(files);
  });

  it('lists every emulator in test/emulators/index.ts, and each starts and stops', async () => {
    const { EMULATORS } = await import('../../emulators/index');
    expect(Object.keys(EMULATORS).sort()).toEqual(CONNECTORS.map((c) => c.id).sort());
    for (const start of Object.values(EMULATORS)) {
      const emu = await start();
      expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await emu.close();
    }
  });

  it('has unique ids', () => {
    const ids = CONNECTORS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const connector of CONNECTORS) {
    describe(connector.id, () => {
      const declared = ACTION_KINDS.filter((k) => connector.actions[k]);

      it('declares at least one action, each with targets, and cites its documentation', () => {
        expect(declared.length).toBeGreaterThan(0);
        for (const k of declared) expect(connector.actions[k]?.targets.length).toBeGreaterThan(0);
        expect(connector.docs.length).toBeGreaterThan(0);
        const source = readFileSync(
          path.join(repoRoot, 'lib/actions/connectors', `${connector.id}.ts`),
          'utf8',
        );
        expect(source).toMatch(/https:\/\//);
      });

      it('has an emulator exporting start<Vendor>Emulator()', async () => {
        const file = path.join(repoRoot, 'test/emulators', `${connector.id}.ts`);
        expect(existsSync(file), `missing ${file}`).toBe(true);
        const mod = (await import(file)) as Record<string, unknown>;
        const starter = Object.keys(mod).find(
          (k) => k.toLowerCase() === `start${connector.id.replace(/[^a-z0-9]/g, '')}emulator`,
        );
        expect(starter, `test/emulators/${connector.id}.ts must export start<Vendor>Emulator`).toBeDefined();
        expect(typeof mod[starter as string]).toBe('function');
      });

      it('has a test for every declared action', () => {
        const file = path.join(repoRoot, 'test/unit/actions/connectors', `${connector.id}.test.ts`);
        expect(existsSync(file), `missing ${file}`).toBe(true);
        const source = readFileSync(file, 'utf8');
        const covered = new Set([...source.matchAll(/actionTest\(\s*'([a-z_]+)'/g)].map((m) => m[1]));
        // a loop over ACTION_KINDS (`actionTest(kind, …)`) covers them all
        const loopsOverAll = /for \(const kind of ACTION_KINDS\)[\s\S]{0,200}actionTest\(kind,/.test(source);
        const missing = declared.filter((k) => !covered.has(k) && !loopsOverAll);
        expect(missing, `${connector.id} actions without a test`).toEqual([]);
      });
    });
  }

  it('maps actions to D3FEND ids and names that exist in the ontology', () => {
    const ttl = path.resolve(repoRoot, '../shared/data/d3fend/d3fend-protege.ttl.gz');
    if (!existsSync(ttl)) {
      console.warn(`skipping the ontology check: ${ttl} is absent`);
      return;
    }
    const text = gunzipSync(readFileSync(ttl)).toString('utf8');
    const used = new Set(Object.values(ACTION_COUNTERMEASURES).flat());
    expect([...used].sort()).toEqual(['D3-DNSDL', 'D3-EDL', 'D3-ITF', 'D3-NI', 'D3-OTF']);
    for (const id of used) {
      const at = text.indexOf(`:d3fend-id "${id}"`);
      expect(at, `${id} not in the ontology`).toBeGreaterThan(0);
      const block = text.slice(text.lastIndexOf('\n\n', at), at);
      expect(block).toContain(`rdfs:label "${D3FEND[id]?.name}"`);
    }
  });
});
