/** Ids bound as one IN list a statement: well inside every engine's bound-parameter limit. */
export const IN_CHUNK = 500;

/** `read` over `items` IN_CHUNK at a time, the answers concatenated in order. */
export async function inChunks<T, R>(items: readonly T[], read: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) out.push(...(await read(items.slice(i, i + IN_CHUNK))));
  return out;
}
