// Handover sheets: what printing one takes, and the stop a sheet's code shows to the phone that scans it.
import { z } from 'zod';
import { recordId } from '../http/schemas.ts';
import { langs } from '../residents/resident-texts.ts';
import type { Handover, StopStatus } from '../../domain/values.ts';

const print = {
  lang: z.enum(langs).optional().describe('the sheet’s language (default: from Accept-Language, else en)'),
  format: z.enum(['pdf', 'json']).default('pdf').describe('json: the stops and their links, for a client that lays out its own sheet'),
};
export const gateSheetBody = z.strictObject({ planId: recordId.describe('the plan whose walking routes from this gate are printed'), ...print });
export const routeSheetBody = z.strictObject(print);

/** A sheet as JSON: each stop in walking order with the link its QR code opens (null once it is done). */
export interface SheetLinks {
  planId: number;
  gate: string | null;
  expiresAt: string;
  stops: { routeId: number; stopId: number; seq: number; trip: number | null; status: StopStatus; url: string | null }[];
}

/** The header that carries a sheet's code (never in a path, so no log or audit row keeps it). */
export const TOKEN_HEADER = 'X-Handover-Token';

/** One stop as the phone that scanned its code sees it: whom it is for and what it hands over, nothing else of anyone. */
export interface HandoverStop {
  stopId: number;
  seq: number;
  trip: number | null;
  status: StopStatus;
  reason: string | null;
  gate: string | null;
  recipient: { name: string; address: string } | null;
  items: { commodity: string; unit: string; quantity: number }[];
  proof: { handedTo: Handover; receiverName: string; deviceTime: string } | null;
  /** When the code stops working at the latest (earlier if its route ends or the sheet is printed again). */
  expiresAt: string;
}
