/** A carousel's position: advances every `intervalMs` unless paused; moving by hand restarts the wait. */
import { useCallback, useEffect, useState } from 'react';

export function useCycle(count: number, intervalMs: number) {
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);
  const at = count === 0 ? 0 : index % count;
  const next = useCallback(() => setIndex((i) => (count === 0 ? 0 : (i + 1) % count)), [count]);
  const previous = useCallback(() => setIndex((i) => (count === 0 ? 0 : (i - 1 + count) % count)), [count]);
  useEffect(() => {
    if (paused || count < 2) return;
    const timer = window.setTimeout(next, intervalMs);
    return () => window.clearTimeout(timer);
    // `index` restarts the wait after every move, automatic or by hand.
  }, [paused, count, intervalMs, next, index]);
  return { index: at, paused, next, previous, togglePause: useCallback(() => setPaused((p) => !p), []) };
}
