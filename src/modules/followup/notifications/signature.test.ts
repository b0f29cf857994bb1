import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signature.js';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"ntf_1","event":"task.created"}';

  it('is the hex HMAC-SHA256 of "<timestamp>.<body>", prefixed sha256=', () => {
    // Computed independently: what any receiver's few lines of code produce.
    const expected = createHmac('sha256', secret).update(`1790000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1_790_000_000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies within the replay window only, and only the exact body, timestamp and secret', () => {
    const signature = signWebhook(secret, 1_790_000_000, body);
    const ok = { secret, body, signature, timestamp: '1790000000', nowSeconds: 1_790_000_100 };
    expect(verifyWebhook(ok)).toBe(true);
    expect(verifyWebhook({ ...ok, nowSeconds: 1_790_000_301 })).toBe(false);
    expect(verifyWebhook({ ...ok, nowSeconds: 1_789_999_699 })).toBe(false);
    expect(verifyWebhook({ ...ok, body: `${body} ` })).toBe(false);
    expect(verifyWebhook({ ...ok, timestamp: '1790000001' })).toBe(false);
    expect(verifyWebhook({ ...ok, secret: 'whsec_other' })).toBe(false);
    expect(verifyWebhook({ ...ok, signature: undefined })).toBe(false);
    expect(verifyWebhook({ ...ok, timestamp: '17e8' })).toBe(false);
  });
});
