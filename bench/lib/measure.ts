import { performance } from 'node:perf_hooks';
import type { Result } from './types.js';

/** One thing to measure: `once()` does `ops` operations on a fresh setup and returns the seconds they took. */
export interface Case {
  name: string;
  /** How the ceiling column names this case when others are judged against it. */
  short?: string;
  unit: string;
  ops: number;
  /** The name of the case this one is judged against; absent for a ceiling. */
  ceiling?: string;
  once(): Promise<number>;
}

/** Time `body` between an untimed `setup` and `teardown`. */
export async function timed<S>(
  setup: () => Promise<S> | S,
  body: (state: S) => Promise<void> | void,
  teardown: (state: S) => Promise<void> | void = () => {},
): Promise<number> {
  const state = await setup();
  try {
    const start = performance.now();
    await body(state);
    return (performance.now() - start) / 1000;
  } finally {
    await teardown(state);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/**
 * Run every case once per round, interleaved, so that a noisy neighbour or a slow
 * disk moment hits cases alike; round 0 is a discarded warm-up (JIT, caches). Each
 * figure is the median over rounds, and each ratio the median of the per-round
 * ratios to its ceiling measured in the same round.
 */
export async function runCases(target: string, cases: Case[], rounds: number): Promise<Result[]> {
  const rates = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const c of cases) {
      const seconds = await c.once();
      if (round > 0) rates.get(c.name)?.push(c.ops / seconds);
    }
  }
  return cases.map((c) => {
    const own = rates.get(c.name) ?? [];
    const result: Result = { target, name: c.name, value: median(own), unit: c.unit };
    if (c.ceiling === undefined) return result;
    const base = rates.get(c.ceiling);
    if (!base) throw new Error(`case "${c.name}" names an unknown ceiling "${c.ceiling}"`);
    const ceiling = cases.find((other) => other.name === c.ceiling);
    return {
      ...result,
      ceiling: { name: ceiling?.short ?? c.ceiling, value: median(base) },
      ratio: median(own.map((v, i) => v / (base[i] ?? Number.NaN))),
    };
  });
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
