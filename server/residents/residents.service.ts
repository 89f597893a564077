// What a household sees at /h/<code>: its name and community, and each of its requests with its status
// in plain words. Nothing about other households, and nothing the household did not give itself.
import type { Request } from 'express';
import type { Db } from '../db/database.ts';
import { getHousehold } from '../needs/households.service.ts';
import { HttpError } from '../http/errors.ts';
import { describe, recallText, statusText, unknownCodeText, type Lang } from './resident-status.ts';
import type { ResidentView } from './residents.schema.ts';
import * as repo from './residents.repo.ts';

/** An unknown, malformed or revoked code: 404 in the reader's language, the same answer whichever it was. */
export class UnknownCodeError extends HttpError {
  constructor(lang: Lang) {
    super(404, 'not-found', 'Not found', unknownCodeText(lang));
  }
}

/** The reader's language: ?lang=, else the best of Accept-Language, else English. */
export const readerLang = (req: Request, asked: Lang | undefined): Lang => asked ?? (req.acceptsLanguages('en', 'zh') === 'zh' ? 'zh' : 'en');

export async function residentView(db: Db, householdId: number, lang: Lang): Promise<ResidentView> {
  const household = await getHousehold(db, householdId);
  const needs = await repo.needFactsOf(db, householdId);
  return {
    lang,
    household: { name: household.name, community: household.community },
    notices: (await repo.recallsReceived(db, householdId)).map((recall) => ({ kind: 'recall' as const, text: recallText(lang, recall) })),
    requests: needs.map((need) => {
      const described = describe(need);
      return {
        id: need.id,
        commodity: need.commodity,
        unit: need.unit,
        quantity: need.quantity,
        delivered: need.fulfilled,
        open: need.status === 'open',
        status: described.status,
        statusText: statusText(need, described, lang),
        updatedAt: need.updatedAt,
      };
    }),
  };
}
