import { describe, expect, it } from 'vitest';
import { redactPageUrl } from '../../../lib/actions/page-url';

describe('redactPageUrl', () => {
  it('keeps where the analyst was and drops what would let someone else in', () => {
    expect(
      redactPageUrl(
        'https://siem.corp.example/app/search?q=src%3D10.1.2.3&session_id=abc123&earliest=-24h#access_token=xyz',
      ),
    ).toBe('https://siem.corp.example/app/search?q=src%3D10.1.2.3&session_id=REDACTED&earliest=-24h');
    expect(redactPageUrl('https://bucket.s3.example/r.pdf?X-Amz-Signature=f00&X-Amz-Credential=me&v=2')).toBe(
      'https://bucket.s3.example/r.pdf?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&v=2',
    );
    expect(redactPageUrl('https://user:pw@console.example/alert/7?code=oauth&apikey=k')).toBe(
      'https://console.example/alert/7?code=REDACTED&apikey=REDACTED',
    );
  });

  it('leaves innocent parameters alone and refuses non-web URLs', () => {
    expect(redactPageUrl('https://vt.example/gui/ip-address/203.0.113.9?tab=relations')).toBe(
      'https://vt.example/gui/ip-address/203.0.113.9?tab=relations',
    );
    expect(redactPageUrl('javascript:alert(1)')).toBe('');
    expect(redactPageUrl('not a url')).toBe('');
  });
});
