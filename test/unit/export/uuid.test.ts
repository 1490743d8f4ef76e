import { describe, expect, it } from 'vitest';
import { uuidV5 } from '../../../lib/export/uuid';

describe('uuidV5', () => {
  it('matches the RFC test vector (www.example.com in the DNS namespace)', async () => {
    expect(await uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('is stable for a name and different across names', async () => {
    const a = await uuidV5("indicator:[ipv4-addr:value = '1.2.3.4']");
    expect(await uuidV5("indicator:[ipv4-addr:value = '1.2.3.4']")).toBe(a);
    expect(await uuidV5("indicator:[ipv4-addr:value = '1.2.3.5']")).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a namespace that is not a UUID', async () => {
    await expect(uuidV5('x', 'not-a-uuid')).rejects.toThrow(/Not a UUID/);
  });
});
