/**
 * The HTTP load generator the server benchmarks share. It runs in a second process (so that
 * its work does not steal the measured server's event loop): a benchmark module starts
 * itself with a flag (`runChild`), the child answers one JSON line (`answerAsChild`).
 */
import { spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface Reply {
  status: number;
  body: string;
}

export interface LoadRun {
  seconds: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  meanBytes: number;
  failures: number;
  firstFailure?: string;
}

/** Send `count` requests over `concurrency` keep-alive connections; `send(i, agent)` makes the i-th. */
export async function drive(count: number, concurrency: number, send: (i: number, agent: Agent) => Promise<Reply>, describe: (i: number) => string): Promise<LoadRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const start = performance.now();
      const res = await send(i, agent);
      latencies.push(performance.now() - start);
      bytes += res.body.length;
      if (res.status !== 200) {
        failures++;
        firstFailure ??= `${res.status} ${describe(i)}: ${res.body.slice(0, 300)}`;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { seconds, requests: count, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), meanBytes: bytes / Math.max(1, count), failures, ...(firstFailure ? { firstFailure } : {}) };
}

/** One HTTP request, its body read whole. */
export function send(url: URL, agent: Agent, options: { method: string; headers: Record<string, string | number>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method, agent, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Run `script` again as a child with these arguments and read back the one JSON it prints; failed requests reject. */
export function runChild(script: string, args: string[]): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      const result = JSON.parse(out) as LoadRun;
      if (result.failures > 0) return reject(new Error(`${result.failures} requests failed; first: ${result.firstFailure}`));
      resolve(result);
    });
  });
}

/** In the child: print what `work` measured, as the one JSON line `runChild` reads. */
export function answerAsChild(work: Promise<LoadRun>): void {
  work.then(
    (r) => process.stdout.write(JSON.stringify(r)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

/** Listen on a free loopback port; returns the base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
