// The request path of a campaign, built for the burst at its opening: everything a request needs before its
// write comes from memory (the campaign from a one-second cache, rate limits per address and per code, the
// addresses blocked for wrong codes), and the write itself joins a group commit. The public page is served
// from the same kind of cache, so a crowd refreshing it does not reach the database.
import type { Request, Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Db } from '../db/database.ts';
import { countAttempt } from '../auth/login-throttle.ts';
import { hashCode, normalCode } from '../residents/access.service.ts';
import { CodeThrottle } from '../residents/code-throttle.ts';
import { readerLang, say, unknownCode } from '../residents/resident-texts.ts';
import { invalidField } from '../http/errors.ts';
import { GroupCommit, type GroupCommitLimits } from '../http/group-commit.ts';
import { ClosedError, getCampaign, NotOpenError, stateAt, writeEntries, campaignView, type EntryAnswer, type EntryRequest } from './campaigns.service.ts';
import type { Campaign, CampaignView, Entry } from './campaigns.schema.ts';

export interface IntakeLimits extends GroupCommitLimits {
  /** Requests from one address per minute (a whole compound may share one). */
  perAddressPerMinute: number;
  /** Requests with one code to one campaign per minute (a household's retries). */
  perCodePerMinute: number;
  /** How old the cached campaign and page may be, in ms. */
  cacheMs: number;
}

export const defaultIntakeLimits = (db: Db): IntakeLimits => ({
  maxBatch: 500,
  lingerMs: 2,
  maxQueued: 5000,
  maxWaitMs: 150,
  concurrency: db.kind === 'pglite' ? 1 : 4,
  perAddressPerMinute: 120,
  perCodePerMinute: 12,
  cacheMs: 1000,
});

/** Values kept for a short while, loaded once however many ask at the same moment. */
class ShortCache<T> {
  private readonly entries = new Map<number, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly load: (id: number) => Promise<T>,
  ) {}

  get(id: number): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    if (this.entries.size > 1000) this.entries.clear();
    const value = this.load(id);
    this.entries.set(id, { at: now, value });
    // A failed load (say, no such campaign) is not kept.
    value.catch(() => this.entries.delete(id));
    return value;
  }

  forget(id: number): void {
    this.entries.delete(id);
  }
}

export class CampaignIntake {
  private readonly campaigns: ShortCache<Campaign>;
  private readonly pages: ShortCache<CampaignView>;
  private readonly writes: GroupCommit<EntryRequest, EntryAnswer>;
  private readonly perAddress: RateLimiterMemory;
  private readonly perCode: RateLimiterMemory;
  private readonly codes: CodeThrottle;

  constructor(db: Db, limits: IntakeLimits = defaultIntakeLimits(db)) {
    this.campaigns = new ShortCache(limits.cacheMs, (id) => getCampaign(db, id));
    this.pages = new ShortCache(limits.cacheMs, (id) => campaignView(db, id));
    this.writes = new GroupCommit((requests) => writeEntries(db, requests), limits);
    this.perAddress = new RateLimiterMemory({ keyPrefix: 'campaign-address', points: limits.perAddressPerMinute, duration: 60 });
    this.perCode = new RateLimiterMemory({ keyPrefix: 'campaign-code', points: limits.perCodePerMinute, duration: 60 });
    this.codes = new CodeThrottle(db);
  }

  /** The public page's figures, at most `cacheMs` old. */
  page(id: number): Promise<CampaignView> {
    return this.pages.get(id);
  }

  /** What the coordinator's live view shows of the intake itself. */
  stats(): { queued: number; refusedBusy: number } {
    return { queued: this.writes.queued, refusedBusy: this.writes.refused };
  }

  /** After a close: the next request reads the campaign afresh. */
  forget(id: number): void {
    this.campaigns.forget(id);
    this.pages.forget(id);
  }

  /**
   * A household's request by code: refused early (window, cap, rate limits, blocked address) from memory,
   * else written with its batch. Answers the entry and whether it is new once the batch has committed.
   */
  async byCode(req: Request, res: Response, campaignId: number, typedCode: string, quantity: number): Promise<{ entry: Entry; created: boolean }> {
    const lang = readerLang(req, undefined);
    const address = req.ip ?? 'unknown';
    const refusal = (s: number) => say(lang, 'tooManyCodes', s);
    const campaign = await this.openCampaign(campaignId, quantity);
    this.codes.refuseBlocked(address, res, refusal);
    const code = normalCode(typedCode);
    await countAttempt(res, [this.perAddress.consume(address), ...(code ? [this.perCode.consume(`${campaign.id}:${code}`)] : [])]);
    const answer = code ? await this.writes.submit({ via: 'code', campaignId: campaign.id, codeHash: hashCode(code), quantity }) : ({ kind: 'unknown-code' } as const);
    if (answer.kind === 'unknown-code') {
      await this.codes.countWrong(address, res, refusal);
      throw unknownCode(lang);
    }
    return settled(answer);
  }

  /** A request a community worker makes for a household (already checked to be in their communities). */
  async byWorker(campaignId: number, householdId: number, quantity: number): Promise<{ entry: Entry; created: boolean }> {
    const campaign = await this.openCampaign(campaignId, quantity);
    return settled(await this.writes.submit({ via: 'worker', campaignId: campaign.id, householdId, quantity }));
  }

  /** The campaign, if it takes requests now and the quantity is within its cap (judged on the cached record; the batch judges again). */
  private async openCampaign(id: number, quantity: number): Promise<Campaign> {
    const campaign = await this.campaigns.get(id);
    const state = stateAt(campaign, Date.now());
    if (state === 'upcoming') throw new NotOpenError(campaign);
    if (state === 'closed') throw new ClosedError(campaign);
    if (quantity > campaign.perHouseholdCap) throw invalidField('body.quantity', `at most ${campaign.perHouseholdCap} per household in this campaign`);
    return campaign;
  }
}

function settled(answer: EntryAnswer): { entry: Entry; created: boolean } {
  if (answer.kind === 'refused') throw answer.error;
  if (answer.kind === 'unknown-code') throw new Error('a worker request has no code');
  return { entry: answer.entry, created: answer.kind === 'entered' };
}
