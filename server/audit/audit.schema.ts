// The audit log: its search query, and the rows the API answers with.
import { z } from 'zod';
import type { Role } from '../auth/roles.ts';
import { optionalId } from '../http/schemas.ts';

export const auditQuery = z.strictObject({
  userId: optionalId,
  /** A table (`needs`) or one record of it (`needs:12`). */
  record: z
    .string()
    .regex(/^[a-z_]+(:[^:]+)?$/, 'a table, or a table and an id as table:id')
    .max(200)
    .optional(),
  /** Requests whose path starts with this (`/api/needs`). */
  path: z.string().startsWith('/').max(500).optional(),
  /** Everything one request changed (its X-Request-Id). */
  requestId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Rows older than this row id (the `next` of the previous page). */
  before: optionalId,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});
export type AuditQuery = z.output<typeof auditQuery>;

/** What a request did to one record. */
export interface AuditRow {
  id: number;
  at: string;
  userId: number | null;
  role: Role | null;
  method: string | null;
  path: string | null;
  requestId: string | null;
  ip: string | null;
  device: string | null;
  /** `table:id` (the id left out when a record is known only by a secret, such as a session). */
  record: string;
  action: 'insert' | 'update' | 'delete';
  /** The fields that changed, as they were (null for an insert) and as they became (null for a delete). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A page of the log, newest first; `next` is the `before` of the following page (null at the end). */
export interface AuditPage {
  items: AuditRow[];
  next: number | null;
}
