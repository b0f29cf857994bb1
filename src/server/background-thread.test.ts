/**
 * The thread's supervision, with stand-in entries (data: modules) in place of the jobs: the
 * change relay both ways, a start that fails, a thread that dies and is started again, and
 * stop. The real entry runs in test/http/background-thread.test.ts.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createTestStore, type TestStore } from '../store/testing.js';
import { startBackgroundThread } from './background-thread.js';

const module = (source: string) => new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads';\n${source}`)}`);
/** Answers each relayed 'events' with a 'jobs' of its own, and ends when told to stop. */
const ECHO = module(`
parentPort.on('message', (m) => {
  if (m.type === 'change' && m.topic === 'events') parentPort.postMessage({ type: 'change', topic: 'jobs' });
  if (m.type === 'stop') process.exit(0);
});
parentPort.postMessage({ type: 'ready' });
`);

function capturedLogger(): { logger: ReturnType<typeof createLogger>; messages: string[] } {
  const messages: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), messages };
}

describe('the background thread', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });
  const config = () => loadConfig({ databaseUrl: 'unused.db' }, {});

  it('relays changes both ways, and stops when asked', async () => {
    store = await createTestStore('sqlite');
    const { logger, messages } = capturedLogger();
    const thread = await startBackgroundThread(store, logger, config(), ECHO);
    const woke = store.changes.wait(['jobs'], 5_000);
    store.changes.notify('events');
    expect(await woke).toBe(true);
    expect(thread.eventLoopUtilization()?.idle).toBeGreaterThanOrEqual(0);
    await thread.stop();
    expect(thread.eventLoopUtilization()).toBeUndefined();
    // A notify after stop goes nowhere, and nothing was restarted.
    store.changes.notify('events');
    expect(messages).not.toContain('background thread stopped unexpectedly; starting it again');
  });

  it('refuses to start when the thread fails before it is ready', async () => {
    store = await createTestStore('sqlite');
    const { logger } = capturedLogger();
    await expect(startBackgroundThread(store, logger, config(), module(`throw new Error('no database here');`))).rejects.toThrow('no database here');
  });

  it('starts the thread again when it dies, pausing longer each time', { timeout: 20_000 }, async () => {
    store = await createTestStore('sqlite');
    const { logger, messages } = capturedLogger();
    const dying = module(`
parentPort.on('message', (m) => { if (m.type === 'stop') process.exit(0); });
parentPort.postMessage({ type: 'ready' });
setTimeout(() => { throw new Error('a job crashed the thread'); }, 20);
`);
    const started = Date.now();
    const thread = await startBackgroundThread(store, logger, config(), dying);
    const restarts = () => messages.filter((m) => m === 'background thread stopped unexpectedly; starting it again').length;
    while (restarts() < 3 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 50));
    expect(restarts()).toBe(3);
    // Pauses of 1 s and then 2 s before the second and third starts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(messages).toContain('background thread failed');
    await thread.stop();
    const after = restarts();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(restarts()).toBe(after);
  });
});
