/** The customers module: identity resolution, the merge forest, the customer 360 and its review queue. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { customerRoutes } from './customer.routes.js';
import type { CustomerDeps } from './deps.js';

export type { CustomerDeps } from './deps.js';
export type { Matcher } from './matcher.js';
export { createMatcher } from './matcher.fs.js';
export { RESOLVE_QUEUE, registerResolution, resolvePending, scheduleResolution, startResolution } from './resolution.consumer.js';
export { ZIdentitySettings, readIdentitySettings, writeIdentitySettings, type IdentitySettings } from './identity.settings.js';
export { externalKey, normaliseEmail, normalisePhone } from './identifiers.js';
export { rebuildIdentityGraph } from './rebuild.js';
export { customerById, customerIdsOf, customerOfIdentifier, customersOfIdentifiers, identifierKey, type CustomerContact } from './customer.lookup.js';
export { customerSlice, customerIdsAfter, countCustomers, accountsByIds, type SliceCustomer, type SliceRecord, type AccountRecord } from './customer.slice.js';
export { identityKeyOf, segmentIdentifiers, segmentMembers, traitValueTexts, type SegmentMembers, type TraitCondition } from './segments.js';
export { readModel, trainWorkspaceModel, MODEL_SETTING, type StoredModel } from './model.service.js';
export { registerTraining, scheduleAllTraining, scheduleTraining, TRAIN_QUEUE } from './model.job.js';

export const customersModule =
  (deps: CustomerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(customerRoutes(deps));
  };
