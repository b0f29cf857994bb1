/**
 * Graceful shutdown: a request already in flight when the server is told to stop
 * is answered; new connections are refused; the database is closed afterwards. A stop
 * sent the moment the server reports ready is graceful too.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer } from '../../src/server/run.js';
import { createTestDatabase, type TestDatabase } from '../../src/store/testing.js';
import { bin } from '../support/cli.js';

describe('graceful shutdown', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
  });

  it('finishes the in-flight request, then refuses new ones and closes the store', async () => {
    database = await createTestDatabase('sqlite');
    const config = loadConfig({ databaseUrl: database.url, port: 0, host: '127.0.0.1' }, {});
    const server = await startServer(config, createLogger({ level: 'silent' }));
    const port = Number(new URL(server.url).port);

    // Send the headers and half the body: the request is now in flight, waiting for the rest.
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password' });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 100));

    const stopping = server.stop();
    await new Promise((r) => setTimeout(r, 100));
    const refused = await fetch(`${server.url}/healthz`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);

    socket.write(body.slice(10));
    await stopping;
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 401/);
    expect(response).toContain('AUTH_INVALID_CREDENTIALS');
    await expect(server.store.ping()).rejects.toThrow();
  });

  it('stops gracefully on SIGTERM sent as soon as /readyz answers', async () => {
    database = await createTestDatabase('sqlite');
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const child = spawn(process.execPath, [bin, 'serve', '--database-url', database.url, '--port', String(port), '--log-level', 'silent'], { stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    while (!(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    // Killed by the signal itself, it would exit with no code and leave its WAL behind.
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(existsSync(`${database.url}-wal`)).toBe(false);
  }, 30_000);
});
