/**
 * Run a batch's items together (one transaction for all, say); if that throws, run each alone,
 * so that one item that cannot succeed does not fail the others (as the group commit does).
 * Returns one entry per item: undefined when it succeeded, else its error — the shape a
 * BatchHandler returns.
 */
export async function togetherOrAlone<T>(
  items: readonly T[],
  together: (items: readonly T[]) => Promise<readonly unknown[] | void>,
  alone: (item: T) => Promise<void>,
): Promise<unknown[]> {
  try {
    const errors = await together(items);
    return items.map((_, i) => errors?.[i]);
  } catch (error) {
    if (items.length === 1) return [error];
    const errors: unknown[] = [];
    for (const item of items) {
      try {
        await alone(item);
        errors.push(undefined);
      } catch (e) {
        errors.push(e ?? new Error('failed'));
      }
    }
    return errors;
  }
}
