// The audit log: the request context every write carries into its transactions (the database's audit
// trigger reads it), and the admins' search and CSV export of the log.
import type { Request } from 'express';
import type { Db } from '../db/database.ts';
import { transactionSettings } from '../db/database.ts';
import type { SignedInUser } from '../auth/roles.ts';
import { toCsv } from '../../domain/csv.ts';
import type { AuditPage, AuditQuery, AuditRow } from './audit.schema.ts';
import { searchLog } from './audit.repo.ts';

/** The transaction setting the audit trigger reads (016_audit_log.sql). */
const SETTING = 'lifeline.request';

/**
 * Runs a write request's work with who is asking and through which request set in each of its
 * transactions, so every record it changes gets an audit row in the same commit.
 */
export function audited<T>(req: Request, user: SignedInUser | undefined, requestId: string, work: () => Promise<T>): Promise<T> {
  const context = {
    userId: user?.id ?? null,
    role: user?.role ?? null,
    method: req.method,
    path: req.originalUrl.split('?')[0]!.slice(0, 500),
    requestId,
    ip: req.ip ?? null,
    device: req.get('user-agent')?.slice(0, 200) ?? null,
  };
  return transactionSettings.run({ [SETTING]: JSON.stringify(context) }, work);
}

/** The request context among a write's settings, for records a statement of many requests writes on its behalf. */
export const requestContextOf = (settings: Record<string, string> | undefined): string | undefined => settings?.[SETTING];

/** The request context of the write under way (requestContextOf its settings). */
export const requestContext = (): string | undefined => requestContextOf(transactionSettings.getStore());

export async function searchAudit(db: Db, query: AuditQuery): Promise<AuditPage> {
  const items = await searchLog(db, query);
  return { items, next: items.length === query.limit ? items.at(-1)!.id : null };
}

const CSV_COLUMNS = ['id', 'at', 'userId', 'role', 'method', 'path', 'record', 'action', 'before', 'after', 'requestId', 'ip', 'device'] as const;

/** The rows as CSV (every typed text neutralised), with a BOM so spreadsheets read Chinese. */
export function auditCsv(rows: AuditRow[]): string {
  const cell = (row: AuditRow, column: (typeof CSV_COLUMNS)[number]) => {
    const value = row[column];
    return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
  };
  return `\uFEFF${toCsv([[...CSV_COLUMNS], ...rows.map((row) => CSV_COLUMNS.map((column) => cell(row, column)))])}\r\n`;
}
