import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/**
 * better-sqlite3 runs each statement synchronously, and Kysely chains statements through
 * promises that are already resolved: a transaction of a thousand statements (a rule batch, a
 * resolution slice) is one unbroken stretch of the event loop, during which no socket is read
 * and no webhook answer is handled. This plugin lets the event loop turn (a macrotask) once at
 * least `everyMs` of statements have run since the last turn. Other queries still wait for the
 * one connection, as before; only I/O gets its turn.
 */
export class YieldToEventLoop implements KyselyPlugin {
  private last = performance.now();

  constructor(private readonly everyMs = 4) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const now = performance.now();
    if (now - this.last >= this.everyMs) {
      await nextMacrotask();
      this.last = performance.now();
    }
    return args.result;
  }
}
