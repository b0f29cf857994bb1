/**
 * Who gets a new task: the customer's account owner (a trait naming a member by user id or
 * e-mail), the next member of a team in turn (round-robin on a durable counter), or the team
 * member with the fewest open tasks. Pure: the store supplies members, counter and loads.
 */

export interface MemberRef {
  userId: string;
  email: string;
}

/** Trait names that commonly hold the account owner, in the order they are tried. */
export const OWNER_TRAITS = [
  'ownerId',
  'owner_id',
  'accountOwnerId',
  'account_owner_id',
  'accountOwnerEmail',
  'account_owner_email',
  'ownerEmail',
  'owner_email',
  'accountOwner',
  'account_owner',
  'owner',
] as const;

/** The member a customer's owner trait names (by user id, or by e-mail, any case); undefined when none does. */
export function ownerFromTraits(traits: Record<string, unknown>, members: readonly MemberRef[], trait?: string): string | undefined {
  const keys = trait ? [trait] : OWNER_TRAITS;
  for (const key of keys) {
    const v = traits[key];
    if (typeof v !== 'string' || v.trim() === '') continue;
    const wanted = v.trim();
    const byId = members.find((m) => m.userId === wanted);
    if (byId) return byId.userId;
    const byEmail = members.find((m) => m.email.toLowerCase() === wanted.toLowerCase());
    if (byEmail) return byEmail.userId;
  }
  return undefined;
}

/** The member whose turn it is: `counter` is the team's counter after this assignment's increment (1, 2, …). */
export function roundRobin(memberIds: readonly string[], counter: number): string | undefined {
  if (memberIds.length === 0) return undefined;
  return memberIds[(((counter - 1) % memberIds.length) + memberIds.length) % memberIds.length];
}

/** The member with the fewest open tasks; ties go to the one first in the team's order. */
export function leastLoaded(memberIds: readonly string[], load: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let bestLoad = Infinity;
  for (const id of memberIds) {
    const n = load.get(id) ?? 0;
    if (n < bestLoad) {
      best = id;
      bestLoad = n;
    }
  }
  return best;
}
