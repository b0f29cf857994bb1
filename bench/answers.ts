/**
 * answers: survey answers submitted over HTTP (`POST /s/api/:survey/answers`, an NPS score and
 * its "why?" comment, each with its own signed token), from a load generator in a second
 * process (this file with `--load`), at a fixed concurrency with keep-alive. The whole answer
 * path runs: token check, answer checks, text analytics of the comment, and a durable write of
 * the response, its themes, its silo record and its `feedback.received` fact.
 *
 * Issue 5's goal: ≥ 5 000 answers/s with p99 ≤ 50 ms on this 2-core machine. Two ceilings
 * in the same rounds, with the same generator: a bare Fastify handler that parses the same
 * JSON and answers without storing it (what HTTP alone costs), and one that inserts the same
 * response row with one durable commit per request (what a naive handler costs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { systemClock } from '../src/platform/clock.js';
import { newId } from '../src/platform/ids.js';
import { SigningKeys, signToken } from '../src/modules/feedback/surveys/token.js';
import { SYSTEM_ACTOR } from '../src/modules/workspaces/index.js';
import { createSurvey, changeSurvey } from '../src/modules/feedback/surveys/survey.service.js';
import { buildApp } from '../src/server/app.js';
import { openSqlite } from '../src/store/dialect/sqlite.js';
import { migrateToLatest, openStore } from '../src/store/index.js';
import { answerAsChild, drive, listen, runChild, send, type LoadRun } from './lib/load.js';
import type { Benchmark } from './lib/types.js';

const WORKSPACE = 'ws_bench';
const ANSWERS = 20_000;
const CONCURRENCY = Number(process.env.BENCH_ANSWERS_CONCURRENCY ?? 64);
const ROUNDS = 3;

const COMMENTS = [
  'Delivery was two days late and nobody told me why.',
  'Friendly staff, fast refund, I will order again.',
  'The app keeps logging me out, very frustrating.',
  'Great coffee, but the packaging was damaged.',
  'Support answered within the hour and solved it.',
  'Too expensive for what you get.',
  'Easy checkout, quick delivery, no complaints.',
  'I waited 40 minutes on the phone before anyone picked up.',
];

// ---------------------------------------------------------------- load generator (child)

async function generateLoad(url: string, surveyId: string, tokensFile: string, concurrency: number): Promise<LoadRun> {
  const { readFileSync } = await import('node:fs');
  const tokens = readFileSync(tokensFile, 'utf8').split('\n');
  const target = new URL(`/s/api/${surveyId}/answers`, url);
  return drive(
    ANSWERS,
    concurrency,
    (i, agent) => {
      const body = JSON.stringify({ token: tokens[i], answers: { nps: i % 11, 'nps:why': COMMENTS[i % COMMENTS.length] }, finished: true });
      return send(target, agent, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, body });
    },
    (i) => `answer ${i}`,
  );
}

// ---------------------------------------------------------------- servers (parent)

interface Server {
  url: string;
  close(): Promise<void>;
}

interface Prepared {
  path: string;
  surveyId: string;
  tokensFile: string;
}

/** A migrated database with an open NPS survey, and a file of one signed token per answer. */
async function prepare(dir: string, n: number): Promise<Prepared> {
  const path = join(dir, `answers-${n}.db`);
  const store = openStore(path);
  await migrateToLatest(store);
  await store.db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Bench', created_at: 0 }).execute();
  const deps = { store, clock: systemClock };
  const definition = {
    defaultLanguage: 'en',
    questions: [{ id: 'nps', type: 'nps' as const, text: { en: 'How likely are you to recommend us?' }, required: true }],
    branding: {},
    widget: { pages: [], delaySeconds: 0, sample: 1 },
    email: {},
    triggers: [],
    allowAnonymous: false,
  };
  const survey = await createSurvey(deps, WORKSPACE, { name: 'Bench NPS', definition }, SYSTEM_ACTOR);
  await changeSurvey(deps, WORKSPACE, survey.id, { status: 'active' }, SYSTEM_ACTOR);
  const key = await new SigningKeys(store.db).of(WORKSPACE, Date.now());
  const expiresAt = Date.now() + 86_400_000;
  const tokens = Array.from({ length: ANSWERS }, (_, i) =>
    signToken(key, { workspaceId: WORKSPACE, surveyId: survey.id, deliveryId: newId('dlv'), respondent: { kind: 'user_id', value: `user-${i}` }, channel: 'link', expiresAt }),
  );
  await store.close();
  const tokensFile = join(dir, `tokens-${n}.txt`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(tokensFile, tokens.join('\n'));
  return { path, surveyId: survey.id, tokensFile };
}

async function emptyChair(p: Prepared): Promise<Server> {
  const store = openStore(p.path);
  // One loopback client sends everything: the per-address limit is for people, not this.
  const app = await buildApp({ store, config: { bodyLimitBytes: 1_048_576, publicUrl: undefined }, publicLimits: { perIpPerMinute: 1e9 } });
  const url = await listen(app);
  return {
    url,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

interface BareAnswer {
  token: string;
  answers: { nps: number; 'nps:why': string };
}

/** Parse the same JSON and answer; `insert` adds one durable commit of the same row per request. */
async function bare(p: Prepared, insert: boolean): Promise<Server> {
  const { raw } = openSqlite(p.path);
  const stmt = raw.prepare(
    `insert into survey_responses (workspace_id, id, survey_id, delivery_id, channel, respondent_kind, respondent_value, language, answers, nps, comment, complete, revision, created_at, updated_at)
     values (?, ?, ?, ?, 'link', 'user_id', ?, 'en', ?, ?, ?, 1, 1, ?, ?)`,
  );
  const app = Fastify({ bodyLimit: 1_048_576 });
  app.post('/s/api/:surveyId/answers', async (request) => {
    const body = request.body as BareAnswer;
    const now = Date.now();
    const id = newId('rsp', now);
    if (insert) stmt.run(WORKSPACE, id, p.surveyId, newId('dlv', now), body.token.slice(-20), JSON.stringify(body.answers), body.answers.nps, body.answers['nps:why'], now, now);
    return { responseId: id, revision: 1, complete: true };
  });
  const url = await listen(app);
  return {
    url,
    close: async () => {
      await app.close();
      raw.close();
    },
  };
}

// ---------------------------------------------------------------- measurement

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export const answersBench: Benchmark = {
  name: 'answers',
  description: `survey answers/s and latency over HTTP (${CONCURRENCY} in flight), against bare Fastify handlers`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-answers-'));
    const script = fileURLToPath(import.meta.url);
    const contenders = [
      { name: 'bare Fastify, parse only (no database)', make: (p: Prepared) => bare(p, false) },
      { name: 'bare Fastify + 1 durable insert/request', make: (p: Prepared) => bare(p, true) },
      { name: 'POST /s/api/:survey/answers (full answer path)', make: emptyChair },
    ];
    const runs = new Map<string, LoadRun[]>(contenders.map((c) => [c.name, []]));
    let n = 0;
    try {
      for (let round = 0; round <= ROUNDS; round++) {
        for (const c of contenders) {
          const p = await prepare(dir, n++);
          const server = await c.make(p);
          try {
            const run = await runChild(script, ['--load', server.url, p.surveyId, p.tokensFile, String(CONCURRENCY)]);
            if (round > 0) runs.get(c.name)?.push(run);
          } finally {
            await server.close();
          }
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const rate = (r: LoadRun) => ANSWERS / r.seconds;
    const [http, naive, ours] = contenders.map((c) => runs.get(c.name) ?? []) as [LoadRun[], LoadRun[], LoadRun[]];
    const ratio = (pick: (r: LoadRun) => number, base: LoadRun[]) => median(ours.map((r, i) => pick(r) / pick(base[i] as LoadRun)));
    const target = 'sqlite';
    const oursName = contenders[2]?.name as string;
    return [
      { target, name: `${contenders[0]?.name}, ${CONCURRENCY} in flight`, unit: 'answers/s', value: median(http.map(rate)) },
      { target, name: `${contenders[1]?.name}, ${CONCURRENCY} in flight`, unit: 'answers/s', value: median(naive.map(rate)) },
      { target, name: `${oursName}, ${CONCURRENCY} in flight`, unit: 'answers/s', value: median(ours.map(rate)), ceiling: { name: 'bare, parse only', value: median(http.map(rate)) }, ratio: ratio(rate, http) },
      { target, name: `${oursName} against the naive durable handler`, unit: 'answers/s', value: median(ours.map(rate)), ceiling: { name: 'bare + insert/request', value: median(naive.map(rate)) }, ratio: ratio(rate, naive) },
      { target, name: `${oursName} p50 latency (lower is better)`, unit: 'ms', value: median(ours.map((r) => r.p50)), ceiling: { name: 'bare, parse only', value: median(http.map((r) => r.p50)) }, ratio: ratio((r) => r.p50, http) },
      { target, name: `${oursName} p99 latency (lower is better)`, unit: 'ms', value: median(ours.map((r) => r.p99)), ceiling: { name: 'bare, parse only', value: median(http.map((r) => r.p99)) }, ratio: ratio((r) => r.p99, http) },
      { target, name: 'bare + insert/request p99 latency', unit: 'ms', value: median(naive.map((r) => r.p99)) },
    ];
  },
};

if (process.argv[2] === '--load') {
  const [url, surveyId, tokensFile, concurrency] = process.argv.slice(3) as [string, string, string, string | undefined];
  answerAsChild(generateLoad(url, surveyId, tokensFile, Number(concurrency ?? CONCURRENCY)));
}
