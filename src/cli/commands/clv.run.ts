/** The work of `emptychair clv fit`, loaded only when it runs (see main.ts). */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { parse } from 'csv-parse';
import { AppError } from '../../platform/errors.js';
import { readableFileSize } from '../../platform/files.js';
import {
  customerData,
  DEFAULT_ANNUAL_DISCOUNT,
  discountPerPeriod,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  gammaGammaExpectedSpend,
  predictTuples,
  SummaryBuilder,
  bgNbdExpected,
  paretoExpected,
  type GammaGammaFit,
  type TransactionModel,
} from '../../modules/insight/clv/index.js';
import { progressBar } from '../progress.js';
import type { FitFlags } from './clv.js';

/** Show the bar only for files big enough to wait for. */
const BAR_ABOVE_BYTES = 1 << 20;
/** Calibration-transaction groups of the holdout report, as in Fader, Hardie & Lee (2005), figure 4. */
const GROUPS = 8;

interface Customers {
  ids: string[];
  frequency: number[];
  recency: number[];
  T: number[];
  monetary?: number[];
  holdout?: { actual: number[]; duration: number };
}

/** Stream a CSV file's records, checking that its header holds `required`; a progress bar for large files. */
async function* records(file: string, required: string[], label: string): AsyncGenerator<{ record: Record<string, string | undefined>; line: number; header: string[] }> {
  const size = readableFileSize(file, 'CLV_INPUT_INVALID');
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  const bar = size > BAR_ABOVE_BYTES ? progressBar(label, size, 'bytes') : undefined;
  input.on('data', (chunk) => {
    bytes += chunk.length;
    bar?.update(bytes);
  });
  let header: string[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      columns: (h: string[]) => {
        const missing = required.filter((c) => !h.includes(c));
        if (missing.length > 0)
          throw new AppError('CLV_INPUT_INVALID', `no column ${missing.map((c) => `"${c}"`).join(', ')} in ${file}; its columns are ${h.map((c) => JSON.stringify(c)).join(', ')}`);
        header = h;
        return h;
      },
    }),
  );
  try {
    let line = 1;
    for await (const record of parser as AsyncIterable<Record<string, string | undefined>>) {
      line++;
      yield { record, line, header };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('CLV_INPUT_INVALID', `${file} is not a readable CSV file: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    bar?.stop();
    input.destroy();
  }
}

const num = (v: string | undefined, what: string, where: string): number => {
  const n = v === undefined || v.trim() === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n)) throw new AppError('CLV_INPUT_INVALID', `${where}: ${what} "${v ?? ''}" is not a number`);
  return n;
};

async function fromTransactions(flags: FitFlags): Promise<Customers> {
  const file = flags.transactions as string;
  const [cc, dc, ac] = [flags.customerColumn as string, flags.dateColumn as string, flags.amountColumn as string];
  const builder = new SummaryBuilder({ calibrationEnd: flags.calibrationEnd as string, period: flags.period, ...(flags.holdoutEnd ? { holdoutEnd: flags.holdoutEnd } : {}) });
  for await (const { record, line } of records(file, [cc, dc, ac], 'reading transactions')) {
    const where = `${file} line ${line}`;
    builder.add(record[cc] ?? '', record[dc] ?? '', num(record[ac], ac, where), where);
  }
  const rows = builder.finish();
  if (rows.length === 0) throw new AppError('CLV_INPUT_INVALID', `${file}: no customer made a purchase on or before the calibration end ${flags.calibrationEnd}`);
  return {
    ids: rows.map((r) => r.customerId),
    frequency: rows.map((r) => r.frequency),
    recency: rows.map((r) => r.recency),
    T: rows.map((r) => r.T),
    monetary: rows.map((r) => r.monetaryValue),
    ...(flags.holdoutEnd ? { holdout: { actual: rows.map((r) => r.holdoutFrequency ?? 0), duration: rows[0]?.holdoutDuration ?? 0 } } : {}),
  };
}

async function fromSummary(file: string): Promise<Customers> {
  const out: Customers = { ids: [], frequency: [], recency: [], T: [] };
  const monetary: number[] = [];
  const holdout: number[] = [];
  let duration: number | undefined;
  for await (const { record, line, header } of records(file, ['customer_id', 'frequency', 'recency', 'T'], 'reading summary')) {
    const where = `${file} line ${line}`;
    out.ids.push(record.customer_id ?? '');
    out.frequency.push(num(record.frequency, 'frequency', where));
    out.recency.push(num(record.recency, 'recency', where));
    out.T.push(num(record.T, 'T', where));
    if (header.includes('monetary_value')) monetary.push(num(record.monetary_value, 'monetary_value', where));
    if (header.includes('frequency_holdout') && header.includes('duration_holdout')) {
      holdout.push(num(record.frequency_holdout, 'frequency_holdout', where));
      const d = num(record.duration_holdout, 'duration_holdout', where);
      if (duration !== undefined && d !== duration) throw new AppError('CLV_INPUT_INVALID', `${where}: duration_holdout ${d} differs from the first row's ${duration}`);
      duration = d;
    }
  }
  if (out.ids.length === 0) throw new AppError('CLV_INPUT_INVALID', `${file} has no customers`);
  if (monetary.length > 0) out.monetary = monetary;
  if (duration !== undefined) out.holdout = { actual: holdout, duration };
  return out;
}

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const write = (out: NodeJS.WritableStream, chunk: string) =>
  out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
const round = (v: number, digits = 6) => Number(v.toFixed(digits));
const roundAll = <T extends object>(o: T, digits = 6) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v as number, digits)])) as T;

/** Fit the models the flags name and print the report; write the predictions when asked. */
export async function runClvFit(flags: FitFlags): Promise<void> {
  const started = Date.now();
  const c = flags.transactions ? await fromTransactions(flags) : await fromSummary(flags.summary as string);
  const data = customerData({ frequency: c.frequency, recency: c.recency, T: c.T });
  const fit = flags.model === 'bgnbd' ? fitBgNbd(data) : fitParetoNbd(data);
  const transactionModel = { model: fit.model, params: fit.params } as TransactionModel;

  let gg: GammaGammaFit | undefined;
  if (c.monetary) {
    // refunds can leave a repeat customer's mean spend ≤ 0: such customers are left out of the spend fit
    const keep = c.frequency.map((x, i) => x > 0 && (c.monetary?.[i] as number) > 0);
    gg = fitGammaGamma({ frequency: c.frequency.filter((_, i) => keep[i]), monetary: (c.monetary as number[]).filter((_, i) => keep[i]) });
  }

  const report: Record<string, unknown> = {
    model: fit.model,
    period: flags.period,
    customers: fit.customers,
    distinctSummaries: data.size,
    params: roundAll(fit.params),
    standardErrors: roundAll(fit.standardErrors),
    logLikelihood: round(fit.logLikelihood, 4),
  };
  if (gg)
    report.gammaGamma = { customers: gg.customers, params: roundAll(gg.params), standardErrors: roundAll(gg.standardErrors), logLikelihood: round(gg.logLikelihood, 4) };

  if (c.holdout) {
    const { actual, duration } = c.holdout;
    const groups = Array.from({ length: GROUPS }, (_, k) => ({ transactions: k < GROUPS - 1 ? String(k) : `${k}+`, customers: 0, predicted: 0, actual: 0 }));
    const perTuple = new Float64Array(data.size);
    for (let i = 0; i < data.size; i++) {
      const [x, tx, T] = [data.x[i] as number, data.tx[i] as number, data.T[i] as number];
      perTuple[i] = fit.model === 'bgnbd' ? bgNbdExpected(fit.params, duration, x, tx, T) : paretoExpected(fit.params, duration, x, tx, T);
    }
    let predicted = 0;
    let total = 0;
    c.frequency.forEach((x, i) => {
      const g = groups[Math.min(x, GROUPS - 1)] as (typeof groups)[number];
      const p = perTuple[data.tupleOf[i] as number] as number;
      g.customers++;
      g.predicted += p;
      g.actual += actual[i] as number;
      predicted += p;
      total += actual[i] as number;
    });
    report.holdout = {
      periods: duration,
      predicted: round(predicted, 2),
      actual: total,
      byCalibrationTransactions: groups.map((g) => ({
        transactions: g.transactions,
        customers: g.customers,
        predictedPerCustomer: g.customers ? round(g.predicted / g.customers, 4) : null,
        actualPerCustomer: g.customers ? round(g.actual / g.customers, 4) : null,
      })),
    };
  }

  if (flags.predictions) {
    const horizon = flags.horizon ?? (flags.period === 'week' ? 52 : 365);
    const discount = flags.discount ?? discountPerPeriod(DEFAULT_ANNUAL_DISCOUNT, flags.period);
    const pred = predictTuples(transactionModel, data, { horizon, discount });
    const out: WriteStream = createWriteStream(flags.predictions);
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve()).once('error', () => reject(new AppError('VALIDATION_FAILED', `--predictions: cannot write ${flags.predictions}`)));
    });
    try {
      await write(out, `customer_id,frequency,recency,T,p_alive,expected_transactions${gg ? ',expected_spend,clv' : ''}\n`);
      let batch = '';
      for (let i = 0; i < c.ids.length; i++) {
        const t = data.tupleOf[i] as number;
        const x = c.frequency[i] as number;
        let line = `${quote(c.ids[i] as string)},${x},${c.recency[i]},${c.T[i]},${round(pred.pAlive[t] as number)},${round(pred.expected[t] as number)}`;
        if (gg) {
          const m = c.monetary?.[i] as number;
          const spend = gammaGammaExpectedSpend(gg.params, m > 0 ? x : 0, m);
          line += `,${round(spend, 4)},${round(spend * (pred.discounted[t] as number), 4)}`;
        }
        batch += `${line}\n`;
        if ((i + 1) % 1024 === 0) {
          await write(out, batch);
          batch = '';
        }
      }
      if (batch) await write(out, batch);
    } finally {
      await new Promise<void>((resolve) => out.end(() => resolve()));
    }
    report.predictions = { file: flags.predictions, horizon, discountPerPeriod: round(discount, 8), clv: Boolean(gg) };
  }
  report.seconds = round((Date.now() - started) / 1000, 2);
  console.log(JSON.stringify(report, null, 2));
}
