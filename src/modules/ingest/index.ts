/** The ingest module: the Segment-compatible tracking API and the event store. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IngestDeps } from './deps.js';
import { sqlEventReader } from './event.reader.js';
import { eventRoutes } from './events.routes.js';
import { trackingRoutes, type RateLimitOptions } from './tracking.routes.js';
import { EventWriter } from './writer.js';

export type { IngestDeps } from './deps.js';
export type { EventReader } from './event.reader.js';
export type { EventView, DayCount, SourceView, IngestErrorView } from './events.schema.js';
export { sqlEventReader, TAIL_SETTLE_MS } from './event.reader.js';
export { activityByIdentifier, DERIVED_SOURCE, eventById, eventsAfter, trackDerived, type Activity, type DerivedTrack, type FollowedEvent, type LoggedEvent } from './event.log.js';
export { dailyActivityOf, PAYMENT_FAILED_EVENT, type DailyActivity } from './activity.js';
export { ensureEventPartitions, monthPartition, PARTITION_MONTHS_AHEAD, type PartitionReport } from './partitions.js';
export { pruneDedupe, DEDUPE_WINDOW_MS } from './retention.js';

export interface IngestOptions {
  rateLimit?: RateLimitOptions;
}

/** Generous: 1 000 requests a second per write key, i.e. up to 100 000 batched events a second. */
const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 10_000, windowMs: 10_000 };

export const ingestModule =
  (deps: IngestDeps, options: IngestOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const writer = new EventWriter(deps.store, deps.clock);
    app.addHook('onClose', () => writer.close());
    await app.register(trackingRoutes(deps, writer, options.rateLimit ?? DEFAULT_RATE_LIMIT));
    await app.register(eventRoutes(deps, sqlEventReader(deps.store.db, deps.clock)));
  };
