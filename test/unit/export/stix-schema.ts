import { z } from 'zod';

/**
 * An independent reading of STIX 2.1 (OASIS, sections 3 and 9) for the objects Riposte exports: used by the unit
 * and e2e tests to validate bundles. Strict: unknown top-level properties are errors.
 */
const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'STIX timestamp (RFC 3339, UTC, Z)')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'a real date');
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const identifier = (type: string) => z.string().regex(new RegExp(`^${type}--${uuid}$`), `${type}--<uuid>`);

/** One comparison expression per pattern, `[object-type:path = 'literal']` or a number. */
export const PATTERN =
  /^\[(ipv4-addr|ipv6-addr|domain-name|url|email-addr|file|autonomous-system):(value|number|hashes\.(MD5|'SHA-1'|'SHA-256'|'SHA-512')) = ('(?:[^'\\]|\\['\\])*'|\d+)\]$/;

export const StixIdentitySchema = z.strictObject({
  type: z.literal('identity'),
  spec_version: z.literal('2.1'),
  id: identifier('identity'),
  created: timestamp,
  modified: timestamp,
  name: z.string().min(1),
  identity_class: z.string(),
});

export const StixIndicatorSchema = z.strictObject({
  type: z.literal('indicator'),
  spec_version: z.literal('2.1'),
  id: identifier('indicator'),
  created_by_ref: identifier('identity'),
  created: timestamp,
  modified: timestamp,
  name: z.string().optional(),
  description: z.string().optional(),
  indicator_types: z
    .array(
      z.enum([
        'anomalous-activity',
        'anonymization',
        'benign',
        'compromised',
        'malicious-activity',
        'attribution',
        'unknown',
      ]),
    )
    .optional(),
  pattern: z.string().regex(PATTERN, 'a STIX comparison pattern'),
  pattern_type: z.literal('stix'),
  pattern_version: z.literal('2.1').optional(),
  valid_from: timestamp,
});

export const StixVulnerabilitySchema = z.strictObject({
  type: z.literal('vulnerability'),
  spec_version: z.literal('2.1'),
  id: identifier('vulnerability'),
  created_by_ref: identifier('identity'),
  created: timestamp,
  modified: timestamp,
  name: z.string().regex(/^CVE-\d{4}-\d{4,}$/),
  description: z.string().optional(),
  external_references: z
    .array(z.object({ source_name: z.literal('cve'), external_id: z.string(), url: z.url() }))
    .min(1),
});

export const StixBundleSchema = z
  .strictObject({
    type: z.literal('bundle'),
    id: identifier('bundle'),
    objects: z.array(
      z.discriminatedUnion('type', [StixIdentitySchema, StixIndicatorSchema, StixVulnerabilitySchema]),
    ),
  })
  .superRefine((bundle, ctx) => {
    const ids = new Set<string>();
    for (const o of bundle.objects) {
      if (ids.has(o.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${o.id}` });
      ids.add(o.id);
    }
    for (const o of bundle.objects) {
      if ('created_by_ref' in o && !ids.has(o.created_by_ref))
        ctx.addIssue({ code: 'custom', message: `${o.id} refers to a missing ${o.created_by_ref}` });
    }
  });
