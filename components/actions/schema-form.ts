/**
 * Turns a connector's settings JSON Schema (the catalog's `settingsJsonSchema`, from zod) into form fields, and
 * form values back into settings. Pure: the options page's connector editor renders these fields.
 * Supported shapes are the ones connectors use: strings (text, URL, enum), numbers, booleans, arrays of enum
 * values (checkboxes), arrays of strings (one per line) and a `oneOf` of objects told apart by a `kind` constant
 * (the webhook's auth).
 */

export type FieldKind = 'text' | 'url' | 'secret' | 'select' | 'number' | 'boolean' | 'choices' | 'lines';

export interface Field {
  /** Dotted path in the settings object (`auth.secret`). */
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  default?: unknown;
  options?: string[];
  /** Set for fields inside a `oneOf` variant: shown only when the variant's `kind` has this value. */
  when?: { key: string; value: string };
}

interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
}

const WORDS: Record<string, string> = {
  url: 'URL',
  id: 'ID',
  ids: 'IDs',
  api: 'API',
  os: 'OS',
  hmac: 'HMAC',
};

/** `baseUrl` -> "Base URL", `apiKeyId` -> "API key ID". */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fieldsOf(schema: unknown, secretFields: readonly string[]): Field[] {
  const out: Field[] = [];
  const walk = (node: JsonSchema, prefix: string, when?: Field['when']) => {
    const required = new Set(node.required ?? []);
    for (const [name, prop] of Object.entries(node.properties ?? {})) {
      const key = prefix ? `${prefix}.${name}` : name;
      const base = {
        key,
        label: labelOf(name),
        required: required.has(name),
        default: prop.default,
        ...(when ? { when } : {}),
      };
      if (prop.oneOf?.every((v) => v.properties?.kind?.const !== undefined)) {
        const kindKey = `${key}.kind`;
        const options = prop.oneOf.map((v) => String(v.properties?.kind?.const));
        const fallback = isObject(prop.default) ? String(prop.default.kind ?? options[0]) : options[0];
        out.push({ ...base, key: kindKey, label: labelOf(name), kind: 'select', options, default: fallback });
        for (const variant of prop.oneOf) {
          const value = String(variant.properties?.kind?.const);
          const rest: JsonSchema = {
            ...variant,
            properties: Object.fromEntries(
              Object.entries(variant.properties ?? {}).filter(([k]) => k !== 'kind'),
            ),
          };
          walk(rest, key, { key: kindKey, value });
        }
        continue;
      }
      if (secretFields.includes(key)) out.push({ ...base, kind: 'secret' });
      else if (prop.type === 'boolean') out.push({ ...base, kind: 'boolean' });
      else if (prop.type === 'number' || prop.type === 'integer') out.push({ ...base, kind: 'number' });
      else if (prop.type === 'array' && prop.items?.enum)
        out.push({ ...base, kind: 'choices', options: prop.items.enum.map(String) });
      else if (prop.type === 'array') out.push({ ...base, kind: 'lines' });
      else if (prop.enum) out.push({ ...base, kind: 'select', options: prop.enum.map(String) });
      else if (prop.format === 'uri' || /url$/i.test(name)) out.push({ ...base, kind: 'url' });
      else if (prop.type === 'object' && prop.properties) walk(prop, key, when);
      else out.push({ ...base, kind: 'text' });
    }
  };
  if (isObject(schema)) walk(schema as JsonSchema, '');
  return out;
}

export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) node = isObject(node) ? node[key] : undefined;
  return node;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
}

/** Form values (keyed by dotted path) for an instance's stored settings, defaults where unset. Secrets stay blank. */
export function initialValues(
  fields: readonly Field[],
  settings: Record<string, unknown> = {},
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.kind === 'secret') {
      values[f.key] = '';
      continue;
    }
    const stored = getPath(settings, f.key);
    values[f.key] =
      stored !== undefined
        ? stored
        : f.default !== undefined
          ? structuredClone(f.default)
          : f.kind === 'choices' || f.kind === 'lines'
            ? []
            : f.kind === 'boolean'
              ? false
              : '';
  }
  return values;
}

export function visible(field: Field, values: Record<string, unknown>): boolean {
  return !field.when || values[field.when.key] === field.when.value;
}

/** Settings (without secrets) and the typed secrets from the form; blank optional text fields are left out. */
export function settingsFromValues(
  fields: readonly Field[],
  values: Record<string, unknown>,
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const f of fields) {
    if (!visible(f, values)) continue;
    const value = values[f.key];
    if (f.kind === 'secret') {
      if (typeof value === 'string' && value !== '') secrets[f.key] = value;
      continue;
    }
    if (f.kind === 'number') {
      if (value === '' || value === undefined) continue;
      setPath(settings, f.key, Number(value));
    } else if (f.kind === 'text' || f.kind === 'url' || f.kind === 'select') {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text === '' && !f.required) continue;
      setPath(settings, f.key, text);
    } else setPath(settings, f.key, value);
  }
  return { settings, secrets };
}

/**
 * The origins this instance will talk to (every URL field: base URL, token endpoint), as host-permission
 * patterns: exactly those hosts, never the whole web.
 */
export function originsOf(fields: readonly Field[], values: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const f of fields) {
    if (f.kind !== 'url' || !visible(f, values)) continue;
    const value = values[f.key];
    if (typeof value !== 'string' || value.trim() === '') continue;
    try {
      const url = new URL(value.trim().replace(/\{[^}]*\}/g, 'x'));
      if (url.protocol === 'https:' || url.protocol === 'http:') out.add(`${url.protocol}//${url.host}/*`);
    } catch {
      // the background reports the malformed URL when saving
    }
  }
  return [...out];
}
