// SQL of the audit log (written by the audit triggers of 016_audit_log.sql and 032/046's audit_rows, and by a
// grouped batch's statement for the records it inserts on many requests' behalf: auditInserts; read here), and
// of the request notes audit_rows reads (audit_requests, 031_audit_requests_by_record.sql), pruned here.
import type { Queryable } from '../db/database.ts';
import { toCamel } from '../db/rows.ts';
import type { AuditQuery, AuditRow } from './audit.schema.ts';

interface Stored {
  id: number;
  at: Date;
  user_id: number | null;
  role: AuditRow['role'];
  method: string | null;
  path: string | null;
  request_id: string | null;
  ip: string | null;
  device: string | null;
  table_name: string;
  record_id: string | null;
  action: AuditRow['action'];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The rows matching the query's filters, newest first; `limit` of them. */
export async function searchLog(db: Queryable, query: Omit<AuditQuery, 'format'>): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (param: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (query.userId !== undefined) add((p) => `user_id = ${p}`, query.userId);
  if (query.record !== undefined) {
    const [table, id] = query.record.split(':');
    add((p) => `table_name = ${p}`, table);
    if (id !== undefined) add((p) => `record_id = ${p}`, id);
  }
  // A prefix, matched literally: % and _ in the filter are not wildcards.
  if (query.path !== undefined) add((p) => `left(path, length(${p})) = ${p}`, query.path);
  if (query.requestId !== undefined) add((p) => `request_id = ${p}`, query.requestId);
  if (query.from !== undefined) add((p) => `at >= ${p}`, query.from);
  if (query.to !== undefined) add((p) => `at < ${p}`, query.to);
  if (query.before !== undefined) add((p) => `id < ${p}`, query.before);
  params.push(query.limit);
  const rows = await db.query<Stored>(
    `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRow);
}

const camelFields = (fields: Record<string, unknown> | null) => (fields ? toCamel<Record<string, unknown>>(fields) : null);

function toRow(row: Stored): AuditRow {
  return {
    id: row.id,
    at: row.at.toISOString(),
    userId: row.user_id,
    role: row.role,
    method: row.method,
    path: row.path,
    requestId: row.request_id,
    ip: row.ip,
    device: row.device,
    record: row.record_id === null ? row.table_name : `${row.table_name}:${row.record_id}`,
    action: row.action,
    before: camelFields(row.before),
    after: camelFields(row.after),
  };
}

/**
 * The statement (for a WITH clause of the statement inserting the records) that audits records inserted on
 * behalf of many requests, each as its own request's: the audit rows audit_rows (046) writes for an insert
 * (the row as JSON less its table's omitted columns, the request's fields), for the audited tables.
 * `inserted` is a query of (table_name, record_id, whole row as jsonb, request context as jsonb) rows.
 *
 * Why not the trigger: a grouped batch's end runs as no request, so the trigger could only find each record's
 * request through a note (audit_requests, 031), which cost a note written per record (a row and two index
 * entries) and a join per table: 60 % of the statement writing a batch of needs, 40 % of a batch of pledges.
 * Under a request setting (a request run alone) the trigger audits every row as that request's: these rows
 * are then left to it, so that none is audited twice.
 */
export const auditInserts = (inserted: string) =>
  `INSERT INTO audit_log (user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after)
   SELECT (i.context ->> 'userId')::integer, i.context ->> 'role', i.context ->> 'method', i.context ->> 'path', i.context ->> 'requestId',
          i.context ->> 'ip', i.context ->> 'device', i.table_name, i.record_id, 'insert', NULL, i.whole - coalesce(p.omit, '{}')
   FROM (${inserted}) AS i(table_name, record_id, whole, context)
   LEFT JOIN audit_policy p ON p.table_name = i.table_name
   WHERE i.context IS NOT NULL AND coalesce(p.audited, true) AND nullif(current_setting('lifeline.request', true), '') IS NULL`;

/** Drops the request notes older than `hours` (only the statement that wrote a note needs it); how many. */
export async function deleteRequestNotesOlderThan(db: Queryable, hours: number): Promise<number> {
  const gone = await db.query(`DELETE FROM audit_requests WHERE at < now() - make_interval(hours => $1) RETURNING record_id`, [hours]);
  return gone.length;
}
