/**
 * Customer lifetime value (issue 7): BG/NBD and Pareto/NBD for future transactions and
 * P(alive), Gamma-Gamma for spend per transaction, fitted by maximum likelihood with
 * standard errors; discounted CLV over a horizon; customer summaries from transactions.
 * Pure maths: no I/O.
 */
export { customerData, checkSummary, expand, type CustomerData, type CustomerSummary, type SummaryColumns } from './data.js';
export { fitBgNbd, bgNbdLogLikelihood, bgNbdPAlive, bgNbdExpected, bgNbdExpectedNew, bgNbdProbabilityOfPurchase, type BgNbdParams, type BgNbdFit } from './bgnbd.js';
export { fitParetoNbd, paretoLogLikelihood, paretoPAlive, paretoExpected, paretoExpectedNew, type ParetoNbdParams, type ParetoNbdFit } from './pareto.js';
export { fitGammaGamma, spendData, gammaGammaLogLikelihood, gammaGammaExpectedSpend, type GammaGammaParams, type GammaGammaFit, type SpendData } from './gamma-gamma.js';
export {
  discountedTransactions,
  discountedClv,
  predictTuples,
  discountPerPeriod,
  DEFAULT_ANNUAL_DISCOUNT,
  type HorizonOptions,
  type TransactionModel,
  type TuplePredictions,
} from './value.js';
export { SummaryBuilder, summariseTransactions, dayNumber, periodOf, type CustomerSummaryRow, type Period, type SummaryOptions } from './summary.js';
export { simulateBgNbd, simulateParetoNbd, simulateSpend, type SimulatedCustomers, type SimulationOptions } from './simulate.js';
export { hyp2f1, lgamma, digamma } from './special.js';
export type { FitOptions } from './fit.js';
