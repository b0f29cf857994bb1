/** Segment's limits, and ours for what Segment leaves open. */
export const LIMITS = {
  /** One message, as JSON. */
  messageBytes: 32 * 1024,
  /** One request body, after decompression. */
  requestBytes: 500 * 1024,
  /** Objects and arrays nested deeper than this are refused. */
  maxDepth: 32,
  /** Beyond this a whole body is refused before looking at its messages. */
  bodyDepth: 128,
  /** Messages in one /v1/batch request. */
  batchMessages: 2500,
  /** Recent validation errors kept per workspace. */
  recentErrors: 100,
} as const;
