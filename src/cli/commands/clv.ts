import type { Command } from 'commander';
import { z } from 'zod';
import { action } from '../output.js';
import { parseFlags } from '../parse.js';

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const ZFitFlags = z
  .object({
    transactions: z.string().min(1).optional(),
    summary: z.string().min(1).optional(),
    customerColumn: z.string().min(1).optional(),
    dateColumn: z.string().min(1).optional(),
    amountColumn: z.string().min(1).optional(),
    calibrationEnd: DATE.optional(),
    holdoutEnd: DATE.optional(),
    period: z.enum(['week', 'day']).default('week'),
    model: z.enum(['bgnbd', 'pareto']).default('bgnbd'),
    predictions: z.string().min(1).optional(),
    horizon: z.coerce.number().int('must be a whole number of periods').min(1, 'must be ≥ 1').max(100_000).optional(),
    discount: z.coerce.number().min(0, 'must be ≥ 0').max(1, 'is a rate per period, at most 1').optional(),
  })
  .superRefine((f, ctx) => {
    if (!f.transactions === !f.summary) ctx.addIssue({ code: 'custom', path: ['transactions'], message: 'give either --transactions FILE.csv or --summary FILE.csv' });
    if (f.transactions) {
      for (const k of ['customerColumn', 'dateColumn', 'amountColumn', 'calibrationEnd'] as const)
        if (!f[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'is required with --transactions' });
    }
    if (f.summary) {
      for (const k of ['customerColumn', 'dateColumn', 'amountColumn', 'calibrationEnd', 'holdoutEnd'] as const)
        if (f[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'goes with --transactions, not --summary' });
    }
    if (f.holdoutEnd && f.calibrationEnd && f.holdoutEnd <= f.calibrationEnd) ctx.addIssue({ code: 'custom', path: ['holdoutEnd'], message: 'must be after --calibration-end' });
  });
export type FitFlags = z.infer<typeof ZFitFlags>;

export function clvCommand(program: Command): void {
  const clv = program.command('clv').description('customer lifetime value: BG/NBD, Pareto/NBD and Gamma-Gamma fitted by maximum likelihood');
  clv
    .command('fit')
    .usage('(--transactions FILE.csv --customer-column C --date-column D --amount-column A --calibration-end YYYY-MM-DD | --summary FILE.csv) [options]')
    .description(
      'fit a transaction model (BG/NBD or Pareto/NBD) and, when spend is known, Gamma-Gamma; print JSON with the parameters, their standard errors and the log-likelihood',
    )
    .option('--transactions <file>', 'CSV of transactions: one row per purchase (customer, date, amount)')
    .option('--customer-column <name>', 'the column of customer ids (with --transactions)')
    .option('--date-column <name>', 'the column of purchase dates, YYYY-MM-DD or YYYYMMDD (with --transactions)')
    .option('--amount-column <name>', 'the column of purchase amounts (with --transactions)')
    .option('--calibration-end <date>', 'last day of the calibration period, YYYY-MM-DD (with --transactions)')
    .option('--holdout-end <date>', 'last day of a holdout period after it: report predicted against actual purchases')
    .option('--period <unit>', 'week or day (default week): the time unit of recency, T, the horizon and the discount')
    .option('--summary <file>', 'CSV of customer summaries: customer_id, frequency, recency, T[, monetary_value][, frequency_holdout, duration_holdout]')
    .option('--model <name>', 'bgnbd or pareto (default bgnbd)')
    .option('--predictions <file>', 'write per-customer P(alive), expected purchases over the horizon and CLV to this CSV')
    .option('--horizon <periods>', 'periods ahead for the predictions (default 52 weeks or 365 days)')
    .option('--discount <rate>', 'discount rate per period for CLV (default 10 % a year: 0.001835 a week, 0.000261 a day)')
    .action(
      action(async (raw: Record<string, unknown>) => {
        const flags = parseFlags(ZFitFlags, raw);
        const { runClvFit } = await import('./clv.run.js');
        await runClvFit(flags);
      }),
    );
}
