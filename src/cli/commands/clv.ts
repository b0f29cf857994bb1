import type { Command } from 'commander';

/** `emptychair clv fit`: lifetime-value models (BG/NBD, Pareto/NBD, Gamma-Gamma). Filled in by issue 7. */
export function clvCommand(program: Command): void {
  program.command('clv').description('customer lifetime value: BG/NBD, Pareto/NBD and Gamma-Gamma fitted by maximum likelihood');
}
