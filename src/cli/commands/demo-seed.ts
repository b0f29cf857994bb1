import type { Store } from '../../store/index.js';

/** Placeholder until the demo generator lands: writes nothing. */
export async function seedDemoWithProgress(
  _store: Store,
  _opts: { workspaceId: string; customers: number; seed: number },
): Promise<void> {}
