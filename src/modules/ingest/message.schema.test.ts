import { describe, expect, it } from 'vitest';
import { describeIssues, ZMessage } from './message.schema.js';

const reason = (message: unknown) => {
  const parsed = ZMessage.safeParse(message);
  if (parsed.success) throw new Error('expected a refusal');
  return describeIssues(parsed.error);
};

describe('message validation', () => {
  it('says in words what a message lacks', () => {
    expect(reason({ type: 'track', userId: 'u1' })).toContain('a track message needs an event name');
    expect(reason({ type: 'group', userId: 'u1' })).toContain('a group message needs a groupId');
    expect(reason({ type: 'alias', userId: 'u1' })).toContain('an alias message needs a previousId');
    expect(reason({ type: 'track', event: 'x' })).toContain('userId or anonymousId is required');
    expect(reason({ type: 'group', userId: 'u1', groupId: { id: 1 } })).toContain('must be a string or a number');
  });

  it('accepts numeric ids as strings', () => {
    const parsed = ZMessage.parse({ type: 'alias', userId: 42, previousId: 7 });
    expect(parsed).toMatchObject({ userId: '42', previousId: '7' });
  });
});
