import { describe, expect, it } from 'vitest';
import { ChangeSignal, type ChangeTopic } from './changes.js';

describe('change signal relays', () => {
  it('passes local notifies to a relay, and never passes a relayed one back', async () => {
    const here = new ChangeSignal();
    const there = new ChangeSignal();
    const crossed: string[] = [];
    // Two threads' signals wired both ways, as server/background-thread.ts does through messages.
    const stopHere = here.relayTo((topic) => {
      crossed.push(`here→there ${topic}`);
      there.notify(topic, true);
    });
    there.relayTo((topic) => {
      crossed.push(`there→here ${topic}`);
      here.notify(topic, true);
    });

    const woke = there.wait(['events'], 1_000);
    here.notify('events');
    expect(await woke).toBe(true);
    const back = here.wait(['jobs'], 1_000);
    there.notify('jobs');
    expect(await back).toBe(true);
    expect(crossed).toEqual(['here→there events', 'there→here jobs']);

    stopHere();
    here.notify('outbox');
    expect(crossed).toHaveLength(2);
  });

  it('wakes its own waiters whether the notify was local or relayed', async () => {
    const signal = new ChangeSignal();
    const seen: ChangeTopic[] = [];
    const stop = signal.subscribe('outbox', () => seen.push('outbox'));
    signal.notify('outbox');
    signal.notify('outbox', true);
    stop();
    expect(seen).toEqual(['outbox', 'outbox']);
  });
});
