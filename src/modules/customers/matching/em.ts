/**
 * Estimating the model from the data, as Splink does:
 * - u from random pairs (nearly all are two different people), with an exact level that is
 *   too rare to count in the sample taken from value frequencies instead;
 * - m by expectation–maximisation on pairs blocked by one field at a time (same e-mail,
 *   same date of birth, same phone), u held fixed, the blocking field left out of its own
 *   session (its agreement is forced there) and estimated in the others. No session blocks
 *   on names: among people who share a common name, look-alike e-mails (john.smith1@,
 *   john.smith2@) make EM find "same name" rather than "same person";
 * - λ from each session: the matches it found, divided by the share of all matches its
 *   rule can see (from the m and presence other sessions estimated), over all pairs; then
 *   the few matching pairs among the random ones are taken out of u (λ·m of each level).
 * Pure: no I/O.
 */
import type { Random } from '../../../platform/random.js';
import { hash32 } from './blocking.js';
import { compareInto, F_DOB, F_EMAIL, F_FIRST, F_LAST, F_PHONE, F_ADDRESS, newVector } from './compare.js';
import { COMPARISONS, DEFAULT_MODEL, FIELD_COUNT, FIELD_NAMES, LEVEL_COUNTS, type MatchModel } from './model.js';
import type { Prepared } from './prepare.js';

export interface TrainOptions {
  random: Random;
  /** Pairs to sample for u, and at most per EM session (default 1 000 000 and 300 000). */
  maxPairs?: number;
  maxSessionPairs?: number;
  maxIterations?: number;
  /** Starting m (and the fallback for what the data cannot estimate). */
  start?: MatchModel;
}

export interface TrainResult {
  model: MatchModel;
  iterations: number;
  converged: boolean;
  /** Blocked pairs the EM sessions used. */
  pairs: number;
  sessions: { rule: string; pairs: number; blockedPairs: number; lambda: number; matches: number; iterations: number; converged: boolean }[];
}

/** Counts of comparison vectors: code → count, with the code's levels decodable. */
export class PatternCounts {
  readonly counts: Float64Array;
  private readonly radix: number[];
  total = 0;
  constructor() {
    this.radix = [];
    let size = 1;
    for (const n of LEVEL_COUNTS) {
      this.radix.push(size);
      size *= n + 1;
    }
    this.counts = new Float64Array(size);
  }
  add(levels: Int8Array, n = 1): void {
    let code = 0;
    for (let f = 0; f < FIELD_COUNT; f++) code += ((levels[f] as number) + 1) * (this.radix[f] as number);
    this.counts[code] = (this.counts[code] as number) + n;
    this.total += n;
  }
  /** The level of field f in pattern `code` (-1 for missing). */
  level(code: number, f: number): number {
    return (Math.floor(code / (this.radix[f] as number)) % ((LEVEL_COUNTS[f] as number) + 1)) - 1;
  }
}

export interface EmResult {
  lambda: number;
  /** Per field, m per level; undefined for fields left out. */
  m: (number[] | undefined)[];
  /** Per field, share of matches where both records have it. */
  presence: number[];
  matches: number;
  iterations: number;
  converged: boolean;
}

/**
 * EM for m and λ on counted comparison vectors, u fixed. Fields in `exclude` take no part.
 * m is smoothed towards `mStart` with `prior` pseudo-matches per field (MAP estimate).
 */
export function expectationMaximisation(
  patterns: PatternCounts,
  u: number[][],
  mStart: number[][],
  exclude: readonly number[],
  options: { maxIterations?: number; tolerance?: number; prior?: number; lambdaStart?: number } = {},
): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const prior = options.prior ?? 10;
  const used = FIELD_NAMES.map((_, f) => !exclude.includes(f));
  const m = mStart.map((row) => [...row]);
  let lambda = options.lambdaStart ?? 0.1;
  const codes: number[] = [];
  for (let c = 0; c < patterns.counts.length; c++) if ((patterns.counts[c] as number) > 0) codes.push(c);
  const levelOf = codes.map((c) => FIELD_NAMES.map((_, f) => patterns.level(c, f)));
  let iterations = 0;
  let converged = false;
  let presence = FIELD_NAMES.map(() => 0);
  let matches = 0;
  while (iterations < maxIterations) {
    iterations++;
    const mAcc = m.map((row) => row.map(() => 0));
    const present = FIELD_NAMES.map(() => 0);
    let rSum = 0;
    let total = 0;
    const logPrior = Math.log(lambda / (1 - lambda));
    for (let k = 0; k < codes.length; k++) {
      const n = patterns.counts[codes[k] as number] as number;
      const lv = levelOf[k] as number[];
      let logOdds = logPrior;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = lv[f] as number;
        if (!used[f] || l < 0) continue;
        logOdds += Math.log(((m[f] as number[])[l] as number) / ((u[f] as number[])[l] as number));
      }
      const r = logOdds > 40 ? 1 : logOdds < -40 ? 0 : 1 / (1 + Math.exp(-logOdds));
      const w = r * n;
      rSum += w;
      total += n;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = lv[f] as number;
        if (l < 0) continue;
        present[f] = (present[f] as number) + w;
        if (used[f]) (mAcc[f] as number[])[l] = ((mAcc[f] as number[])[l] as number) + w;
      }
    }
    let delta = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      if (!used[f]) continue;
      const acc = mAcc[f] as number[];
      const start = mStart[f] as number[];
      const sum = acc.reduce((s, v) => s + v, 0);
      for (let l = 0; l < acc.length; l++) {
        const next = ((acc[l] as number) + prior * (start[l] as number)) / (sum + prior);
        delta = Math.max(delta, Math.abs(next - ((m[f] as number[])[l] as number)));
        (m[f] as number[])[l] = Math.max(next, 1e-6);
      }
    }
    const nextLambda = Math.min(Math.max(rSum / Math.max(total, 1), 1e-9), 1 - 1e-9);
    delta = Math.max(delta, Math.abs(nextLambda - lambda) / Math.max(lambda, 1e-3));
    lambda = nextLambda;
    matches = rSum;
    presence = present.map((p) => (rSum > 0 ? p / rSum : 0));
    if (delta < tolerance) {
      converged = true;
      break;
    }
  }
  return { lambda, m: m.map((row, f) => (used[f] ? row : undefined)), presence, matches, iterations, converged };
}

/** Σ c(c−1)/2 over the values' counts, and how many records have a value. */
function agreeingPairs(values: (string | undefined)[]): { pairs: number; present: number } {
  const hashes = new Float64Array(values.length);
  let n = 0;
  for (const v of values) if (v !== undefined) hashes[n++] = hash32(v);
  const sorted = hashes.subarray(0, n).sort();
  let pairs = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && sorted[i] === sorted[i - 1]) run++;
    else {
      pairs += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return { pairs, present: n };
}

const EXACT_VALUE: ((p: Prepared) => string | undefined)[] = [];
EXACT_VALUE[F_FIRST] = (p) => p.first;
EXACT_VALUE[F_LAST] = (p) => p.last;
EXACT_VALUE[F_DOB] = (p) => p.dob;
EXACT_VALUE[F_EMAIL] = (p) => p.email;
EXACT_VALUE[F_PHONE] = (p) => p.phone;
EXACT_VALUE[F_ADDRESS] = (p) => p.address;

/**
 * u per field and level from random pairs; an exact level too rare to count in the sample
 * from value frequencies instead. Both include the few pairs that are one person, which
 * trainModel takes out once it knows λ and m.
 */
export function estimateU(records: readonly Prepared[], random: Random, maxPairs: number, start: MatchModel): number[][] {
  const n = records.length;
  const counts = LEVEL_COUNTS.map((L) => new Float64Array(L));
  const compared = new Float64Array(FIELD_COUNT);
  const v = newVector();
  const samples = n < 2 ? 0 : Math.min(maxPairs, (n * (n - 1)) / 2);
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(random.next() * n);
    let j = Math.floor(random.next() * (n - 1));
    if (j >= i) j++;
    compareInto(records[i] as Prepared, records[j] as Prepared, v);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const l = v[f] as number;
      if (l < 0) continue;
      const row = counts[f] as Float64Array;
      row[l] = (row[l] as number) + 1;
      compared[f] = (compared[f] as number) + 1;
    }
  }
  return COMPARISONS.map((c, f) => {
    const u0 = start.comparisons[c.field].u;
    const total = compared[f] as number;
    const L = c.levels.length;
    const u = new Array<number>(L).fill(0);
    for (let l = 0; l < L - 1; l++) {
      const k = (counts[f] as Float64Array)[l] as number;
      if (k >= 30) u[l] = k / total;
      else if (l === 0) {
        const { pairs, present } = agreeingPairs(records.map(EXACT_VALUE[f] as (p: Prepared) => string | undefined));
        const all = (present * (present - 1)) / 2;
        u[l] = all > 0 && pairs > 0 ? pairs / all : (u0[l] as number);
      } else u[l] = u0[l] as number;
    }
    const rest = u.slice(0, L - 1).reduce((s, x) => s + x, 0);
    u[L - 1] = Math.max(1 - rest, 1e-6);
    return u;
  });
}

interface Rule {
  name: string;
  exclude: number[];
  key: (p: Prepared) => string | undefined;
}

const RULES: Rule[] = [
  { name: 'same e-mail', exclude: [F_EMAIL], key: (p) => p.email },
  { name: 'same date of birth', exclude: [F_DOB], key: (p) => p.dob },
  { name: 'same phone', exclude: [F_PHONE], key: (p) => p.phone },
];

/** Blocks larger than this are left out of training (a shared placeholder, not people). */
const MAX_TRAINING_BLOCK = 1000;

/** Comparison vectors of the pairs sharing a rule's key, sampled down to `maxPairs`. */
function blockedPatterns(records: readonly Prepared[], rule: Rule, random: Random, maxPairs: number): { patterns: PatternCounts; blockedPairs: number } {
  const n = records.length;
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const scale = 2 ** bits;
  const hashBits = Math.min(32, 53 - bits);
  const shift = 2 ** (32 - hashBits);
  const entries = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = rule.key(records[i] as Prepared);
    if (v !== undefined) entries[k++] = Math.floor(hash32(v) / shift) * scale + i;
  }
  const sorted = entries.subarray(0, k).sort();
  const blocks: [number, number][] = [];
  let blockedPairs = 0;
  let start = 0;
  for (let i = 1; i <= k; i++) {
    if (i < k && Math.floor((sorted[i] as number) / scale) === Math.floor((sorted[start] as number) / scale)) continue;
    const s = i - start;
    if (s >= 2 && s <= MAX_TRAINING_BLOCK) {
      blocks.push([start, i]);
      blockedPairs += (s * (s - 1)) / 2;
    }
    start = i;
  }
  const keep = blockedPairs <= maxPairs ? 1 : maxPairs / blockedPairs;
  const patterns = new PatternCounts();
  const v = newVector();
  for (const [a, b] of blocks) {
    for (let x = a; x < b; x++) {
      const i = (sorted[x] as number) % scale;
      for (let y = x + 1; y < b; y++) {
        if (keep < 1 && random.next() >= keep) continue;
        const j = (sorted[y] as number) % scale;
        compareInto(records[i] as Prepared, records[j] as Prepared, v);
        patterns.add(v);
      }
    }
  }
  return { patterns, blockedPairs };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
};

/** Estimate a model from the records themselves (no labels needed). */
export function trainModel(records: readonly Prepared[], options: TrainOptions): TrainResult {
  const start = options.start ?? DEFAULT_MODEL;
  const maxPairs = options.maxPairs ?? 300_000;
  const maxSession = options.maxSessionPairs ?? 300_000;
  const u = estimateU(records, options.random, maxPairs, start);
  const mStart = COMPARISONS.map((c) => [...start.comparisons[c.field].m]);
  const sessions: (EmResult & { rule: Rule; pairs: number; blockedPairs: number })[] = [];
  for (const rule of RULES) {
    const { patterns, blockedPairs } = blockedPatterns(records, rule, options.random, maxSession);
    if (patterns.total < 50) continue;
    const fit = expectationMaximisation(patterns, u, mStart, rule.exclude, { maxIterations: options.maxIterations ?? 100 });
    sessions.push({ ...fit, rule, pairs: patterns.total, blockedPairs });
  }
  // m and presence per field: the sessions that estimated it, weighted by the matches they found.
  const combine = (f: number, skip?: Rule) => {
    const m = new Array<number>(LEVEL_COUNTS[f] as number).fill(0);
    let presence = 0;
    let weight = 0;
    for (const s of sessions) {
      if (s.rule === skip || s.rule.exclude.includes(f) || s.matches < 5) continue;
      const sm = s.m[f] as number[];
      for (let l = 0; l < m.length; l++) m[l] = (m[l] as number) + (sm[l] as number) * s.matches;
      presence += (s.presence[f] as number) * s.matches;
      weight += s.matches;
    }
    if (weight === 0) return undefined;
    return { m: m.map((x) => x / weight), presence: presence / weight };
  };
  const model: MatchModel = structuredClone(start);
  for (const [f, c] of COMPARISONS.entries()) {
    const est = combine(f);
    model.comparisons[c.field] = { m: est ? est.m : [...start.comparisons[c.field].m], u: u[f] as number[] };
  }
  // λ: each session's matches over the share of all matches its rule can see.
  const n = records.length;
  const allPairs = (n * (n - 1)) / 2;
  const totals: number[] = [];
  for (const s of sessions) {
    let recall = 1;
    for (const f of s.rule.exclude) {
      // From the other sessions; when none saw the field, from the starting m and how
      // many records have the field.
      const other = combine(f, s.rule);
      if (other) recall *= other.presence * (other.m[0] as number);
      else {
        let has = 0;
        for (const p of records) if (s.rule.key(p) !== undefined) has++;
        recall *= (has / Math.max(n, 1)) ** 2 * ((mStart[f] as number[])[0] as number);
      }
    }
    if (Number.isFinite(recall) && recall > 0.01) totals.push((s.lambda * s.blockedPairs) / recall);
  }
  if (totals.length > 0 && allPairs > 0) {
    model.prior = Math.min(Math.max(median(totals) / allPairs, 1e-12), 0.5);
    // Random pairs (and value frequencies) include some that are one person: among them a
    // level shows with frequency λ·m + (1 − λ)·u, so take the expected matches out.
    const lambda = model.prior;
    for (const [f, c] of COMPARISONS.entries()) {
      const est = combine(f);
      if (!est) continue;
      const levels = model.comparisons[c.field].u;
      for (let l = 0; l < levels.length - 1; l++) {
        const observed = levels[l] as number;
        levels[l] = Math.max((observed - lambda * (est.m[l] as number)) / (1 - lambda), observed * 0.05);
      }
      const rest = levels.slice(0, -1).reduce((t, x) => t + x, 0);
      levels[levels.length - 1] = Math.max(1 - rest, 1e-6);
    }
  }
  const pairs = sessions.reduce((t, s) => t + s.pairs, 0);
  const iterations = sessions.reduce((t, s) => Math.max(t, s.iterations), 0);
  const converged = sessions.length > 0 && sessions.every((s) => s.converged);
  model.trained = { records: n, pairs, iterations, converged };
  return {
    model,
    iterations,
    converged,
    pairs,
    sessions: sessions.map((s) => ({ rule: s.rule.name, pairs: s.pairs, blockedPairs: s.blockedPairs, lambda: s.lambda, matches: s.matches * (s.blockedPairs / Math.max(s.pairs, 1)), iterations: s.iterations, converged: s.converged })),
  };
}
