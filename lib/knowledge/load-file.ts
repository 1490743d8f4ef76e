/**
 * Node-only file loading for the CLIs and tests (`kb`, `hints`, `eval:hints`, benchmarks): reads `.json` /
 * `.json.gz` ATT&CK bundles and `.ttl` / `.ttl.gz` D3FEND ontologies. Never imported by the extension.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { type D3fendData, parseD3fendTurtle } from './d3fend.ts';
import type { AttackData, Result } from './model.ts';
import { parseStixBundle } from './stix.ts';

/** Read a file as UTF-8 text, gunzipping it when it starts with the gzip magic bytes (whatever its name). */
export async function readTextFile(path: string): Promise<Result<string>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, error: `cannot read ${path}: ${(error as Error).message}` };
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      return { ok: false, error: `${path} is not valid gzip: ${(error as Error).message}` };
    }
  }
  return { ok: true, value: bytes.toString('utf8') };
}

/** Parse JSON text, turning a syntax error into a message that names the source. */
export function parseJsonText(text: string, source: string): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `${source} is not JSON: ${(error as Error).message}` };
  }
}

/** Load an ATT&CK STIX bundle (2.0 or 2.1, `.json` or `.json.gz`) from disk. */
export async function loadAttackFile(path: string): Promise<Result<AttackData>> {
  const text = await readTextFile(path);
  if (!text.ok) return text;
  const json = parseJsonText(text.value, path);
  if (!json.ok) return json;
  const data = parseStixBundle(json.value);
  return data.ok ? data : { ok: false, error: `${path}: ${data.error}` };
}

/** Load the D3FEND ontology (Turtle, `.ttl` or `.ttl.gz`) from disk. */
export async function loadD3fendFile(path: string): Promise<Result<D3fendData>> {
  const text = await readTextFile(path);
  if (!text.ok) return text;
  const data = parseD3fendTurtle(text.value);
  return data.ok ? data : { ok: false, error: `${path}: ${data.error}` };
}
