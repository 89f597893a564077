// Which communities a signed-in user works in: a community worker may be tied to some (then they see and
// edit only those households and needs, and hear only of their needs' changes); everyone else sees every community.
import type { SignedInUser } from './roles.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';

/** The communities a user may work in; null: every one. */
export type CommunityScope = readonly string[] | null;

export const communityScope = (user: Pick<SignedInUser, 'role' | 'communities'>): CommunityScope =>
  user.role === 'community' ? user.communities : null;

export const inScope = (scope: CommunityScope, community: string): boolean => !scope || scope.includes(community);

/** Refuses (403, naming the field) a community the user named themselves outside their scope. */
export function checkCommunity(scope: CommunityScope, community: string, field?: string): void {
  if (!inScope(scope, community)) {
    throw new ForbiddenError(`${community} is not one of your communities (${scope!.join(', ') || 'none'})`, field);
  }
}

/**
 * A stored record of another community is, for this user, a record that does not exist: 404 exactly as for a
 * missing id, so the answer neither confirms the record nor names its community.
 */
export function checkRecordInScope(scope: CommunityScope, community: string, what: string, id: number, field?: string): void {
  if (!inScope(scope, community)) throw new NotFoundError(what, id, field);
}
