// Which communities a signed-in user works in: a community worker may be tied to some (then they see and
// edit only those households and needs, join only those need sheets); everyone else sees every community.
import type { SignedInUser } from './auth.schema.ts';
import { ForbiddenError } from '../http/errors.ts';

/** The communities a user may work in; null: every one. */
export type CommunityScope = readonly string[] | null;

export const communityScope = (user: Pick<SignedInUser, 'role' | 'communities'>): CommunityScope =>
  user.role === 'community' ? user.communities : null;

/** Refuses (403, naming the field) a community outside the scope. */
export function checkCommunity(scope: CommunityScope, community: string, field?: string): void {
  if (scope && !scope.includes(community)) {
    throw new ForbiddenError(`${community} is not one of your communities (${scope.join(', ') || 'none'})`, field);
  }
}
