/**
 * Bytes of a knowledge source (a download or a local file) -> text, and what kind of source the text is.
 * Works in the service worker, extension pages and Node 20: gzip through the standard `DecompressionStream`.
 */
import type { Result } from './model.ts';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** UTF-8 text of the bytes, gunzipped first when they are gzip (whatever the file is called). */
export async function readSourceBytes(data: ArrayBuffer | Uint8Array, name: string): Promise<Result<string>> {
  let bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (isGzip(bytes)) {
    try {
      bytes = await gunzip(bytes);
    } catch (error) {
      return {
        ok: false,
        error: `${name} looks gzip-compressed but does not decompress: ${(error as Error).message}`,
      };
    }
  }
  return { ok: true, value: new TextDecoder('utf-8').decode(bytes) };
}

/**
 * ATT&CK bundles are JSON objects; the D3FEND ontology is Turtle (`@prefix …`, `PREFIX …` or a comment first).
 * Null when it is neither (the caller says so in words).
 */
export function sniffSourceKind(text: string): 'attack' | 'd3fend' | null {
  const start = text
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (start.startsWith('{')) return 'attack';
  if (/^(@prefix|@base|PREFIX|BASE|#|<)/i.test(start)) return 'd3fend';
  return null;
}
