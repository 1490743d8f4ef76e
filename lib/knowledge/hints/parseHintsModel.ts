import { z } from 'zod';
import type { Result } from '../model.ts';
import type { HintsModel } from './types.ts';

const index = z.number().int().nonnegative();

const schema = z.object({
  format: z.literal('riposte-hints'),
  version: z.literal(1),
  techniques: z.array(z.string()),
  techniqueNames: z.array(z.string()),
  parents: z.array(z.number().int().min(-1)),
  techniqueTactics: z.array(z.array(index)),
  tactics: z.array(z.string()),
  tacticNames: z.array(z.string()),
  profiles: z.array(
    z.tuple([z.string(), z.string(), z.enum(['group', 'campaign', 'software']), z.array(index)]),
  ),
  revoked: z.record(z.string(), z.string()),
  countermeasures: z.array(z.tuple([z.string(), z.string()])),
  techniqueCountermeasures: z.array(z.array(index)),
  linear: z.array(z.tuple([z.array(index), z.array(z.number())])),
});

/**
 * Checks a stored hints model (read back from IndexedDB or a file) before use: shape, aligned per-technique arrays
 * and indices in range. A model from another version is refused with a message saying to re-import the knowledge.
 */
export function parseHintsModel(value: unknown): Result<HintsModel> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'model';
    return {
      ok: false,
      error: `the stored hints model is not usable (${where}: ${issue?.message ?? 'invalid'}); re-import the ATT&CK knowledge to rebuild it`,
    };
  }
  const m = parsed.data as HintsModel;
  const n = m.techniques.length;
  const aligned =
    [m.techniqueNames, m.parents, m.techniqueTactics, m.techniqueCountermeasures, m.linear].every(
      (a) => a.length === n,
    ) && m.linear.every(([targets, weights]) => targets.length === weights.length);
  const inRange =
    m.parents.every((p) => p < n) &&
    m.techniqueTactics.every((ts) => ts.every((t) => t < m.tactics.length)) &&
    m.profiles.every((p) => p[3].every((t) => t < n)) &&
    m.techniqueCountermeasures.every((cs) => cs.every((c) => c < m.countermeasures.length)) &&
    m.linear.every(([targets]) => targets.every((t) => t < n));
  if (!aligned || !inRange || m.tacticNames.length !== m.tactics.length) {
    return {
      ok: false,
      error:
        'the stored hints model is inconsistent (indices out of range); re-import the ATT&CK knowledge to rebuild it',
    };
  }
  return { ok: true, value: m };
}
