import type { Benchmark } from './lib/types.js';

export const clvFit: Benchmark = {
  name: 'clv',
  description: 'BG/NBD + Gamma-Gamma fit and predictions for 1 000 000 customers, against one evaluation of the likelihood',
  async run() {
    return [];
  },
};
