// Household access codes: 16 characters of Crockford base32 (80 random bits), stored only as a SHA-256
// hash, at most one live per household. Issuing again revokes the previous code; so does revoking.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/database.ts';
import { checkCommunity, type CommunityScope } from '../auth/communities.ts';
import { householdFor } from '../needs/households.service.ts';
import { NotFoundError } from '../http/errors.ts';
import * as repo from './residents.repo.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_BYTES = 10;

export const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');
export const residentUrl = (code: string) => `/h/${code}`;

/** 10 random bytes as 16 base32 characters (5 bits each). */
export function newCode(): string {
  let bits = 0n;
  for (const byte of randomBytes(CODE_BYTES)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < (CODE_BYTES * 8) / 5; i++) code = ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)] + code;
  return code;
}

/** A code as a person may type it: any case, with spaces or dashes, and I/L/O read as 1/1/0 (Crockford). */
export function normalCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(code) ? code : undefined;
}

export interface IssuedCode {
  code: string;
  url: string;
}

/** Told, once the change has committed, of each code that stopped working (its open pages are disconnected). */
export type OnRevoked = (codeHash: string) => void;

/** Runs `work` in a transaction, then tells `onRevoked` of the codes it revoked. */
async function revoking<T>(db: Db, onRevoked: OnRevoked, work: (tx: Queryable, revoked: string[]) => Promise<T>): Promise<T> {
  const revoked: string[] = [];
  const result = await db.transaction((tx) => work(tx, revoked));
  revoked.forEach(onRevoked);
  return result;
}

/** A new code for a household (revoking its previous one), for someone who works in its community. */
export async function issueCode(db: Db, householdId: number, actorId: number, scope: CommunityScope, onRevoked: OnRevoked): Promise<IssuedCode> {
  return revoking(db, onRevoked, async (tx, revoked) => {
    await householdFor(tx, householdId, scope, 'id');
    return replaceCode(tx, householdId, actorId, revoked);
  });
}

/** A new code for the household inside the caller's transaction (its previous one, if any, stops working: its hash joins `revoked`). */
export async function replaceCode(tx: Queryable, householdId: number, actorId: number, revoked: string[]): Promise<IssuedCode> {
  const old = await repo.revokeLiveCode(tx, householdId);
  if (old) revoked.push(old);
  const code = newCode();
  await repo.insertCode(tx, hashCode(code), householdId, actorId);
  return { code, url: residentUrl(code) };
}

/** Revokes a household's code: its page stops answering at once. */
export async function revokeCode(db: Db, householdId: number, scope: CommunityScope, onRevoked: OnRevoked): Promise<void> {
  await householdFor(db, householdId, scope, 'id');
  await revoking(db, onRevoked, async (tx, revoked) => {
    const old = await repo.revokeLiveCode(tx, householdId);
    if (!old) throw new NotFoundError('access code of household', householdId);
    revoked.push(old);
  });
}

/** A slip to hand out: the address tells the worker which door it goes to (households may share a name). */
export interface Slip extends IssuedCode {
  householdId: number;
  name: string;
  address: string;
}

/**
 * Codes for a community's households to print and hand out: for those without one, or (reissue) for all.
 * A code is shown only when issued (only its hash is kept), so households that keep theirs are counted, not listed.
 */
export async function issueSlips(db: Db, community: string, reissue: boolean, actorId: number, scope: CommunityScope, onRevoked: OnRevoked): Promise<{ community: string; slips: Slip[]; keptCodes: number }> {
  checkCommunity(scope, community, 'path.community');
  return revoking(db, onRevoked, async (tx, revoked) => {
    const households = await repo.householdsOfCommunity(tx, community);
    const slips: Slip[] = [];
    for (const h of households.filter((h) => reissue || !h.hasCode)) {
      slips.push({ householdId: h.id, name: h.name, address: h.address, ...(await replaceCode(tx, h.id, actorId, revoked)) });
    }
    return { community, slips, keptCodes: households.length - slips.length };
  });
}

/** What a live code opens: its household, and its hash (which names its live room). */
export interface OpenedCode {
  householdId: number;
  codeHash: string;
}

export const hasLiveCode = async (db: Queryable, householdId: number) => (await repo.liveCodeOf(db, householdId)) !== undefined;

/** The household a code opens; undefined for a wrong, malformed or revoked one. */
export async function householdOfCode(db: Queryable, typed: string): Promise<OpenedCode | undefined> {
  const code = normalCode(typed);
  if (!code) return undefined;
  const codeHash = hashCode(code);
  const householdId = await repo.householdOfCode(db, codeHash);
  return householdId === undefined ? undefined : { householdId, codeHash };
}
