/** One figure, and the ceiling it is judged against (measured in the same run). */
export interface Result {
  /** Where it ran: sqlite, postgres … */
  target: string;
  name: string;
  value: number;
  unit: string;
  /** Absent on a ceiling itself. */
  ceiling?: { name: string; value: number };
  /** value / ceiling; when measured in interleaved rounds, the median of the per-round ratios. */
  ratio?: number;
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<Result[]>;
}
