import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    expect(loadConfig({}, {})).toMatchObject({ databaseUrl: './data/emptychair.db', host: '127.0.0.1', port: 4700, trustProxy: false });
  });

  it('reads the environment, and flags win over it', () => {
    const env = { EMPTYCHAIR_PORT: '5000', EMPTYCHAIR_TRUST_PROXY: 'true', EMPTYCHAIR_DATABASE_URL: 'postgres://x@h/db', EMPTYCHAIR_NOTIFY_CONCURRENCY: '16' };
    expect(loadConfig({}, env)).toMatchObject({ port: 5000, trustProxy: true, databaseUrl: 'postgres://x@h/db', notifyConcurrency: 16 });
    expect(loadConfig({ port: '6000' }, env).port).toBe(6000);
  });

  it('names the bad setting in one line', () => {
    expect(() => loadConfig({ port: 'eighty' }, {})).toThrow(/^invalid configuration: port: /);
    expect(() => loadConfig({}, { EMPTYCHAIR_TRUST_PROXY: 'maybe' })).toThrow(/trustProxy/);
    expect(() => loadConfig({}, { EMPTYCHAIR_LOG_LEVEL: 'loud' })).toThrow(/logLevel/);
    expect(() => loadConfig({}, { EMPTYCHAIR_NOTIFY_CONCURRENCY: '0' })).toThrow(/notifyConcurrency/);
  });
});
