// CSV import of needs for community workers: paste or pick a file, and get a row-by-row report that
// names each bad cell by its line (the text stays, so a fixed file can be sent again). A file with a bad
// line is refused whole by the server, so the report then lists only what must be fixed.
import { useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, request } from '../api.ts';
import { t, tOr } from '../i18n.ts';
import type { ImportReport } from '../types.ts';
import { needImportColumns } from '../../../domain/values.ts';

type RowReport = ImportReport['report'][number];

/** The server's refusal of a whole file (`line 3: lat`) as the report's rows, or undefined for any other error. */
function refusedLines(error: unknown): RowReport[] | undefined {
  if (!(error instanceof ApiError) || error.status !== 400 || !error.fields.length) return undefined;
  const byLine = new Map<number, RowReport>();
  for (const { field, reason } of error.fields) {
    const match = /^line (\d+)(?:: (.*))?$/.exec(field);
    if (!match) return undefined;
    const line = Number(match[1]);
    const row = byLine.get(line) ?? { line, status: 'error', errors: [] };
    row.errors!.push({ field: match[2] ?? t('import.line'), reason });
    byLine.set(line, row);
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}
import { ErrorNote, Field, plainReason, useDraft, useSubmit } from '../components/ui.tsx';
import { Link } from '../router.tsx';

export function ImportPage() {
  const [csv, setCsv] = useDraft('import.csv', '');
  const [report, setReport] = useState<ImportReport>();
  const { busy, error, onSubmit } = useSubmit();
  const refused = refusedLines(error);
  const submit = onSubmit(async () => {
    setReport(undefined);
    setReport(await request<ImportReport>('POST', '/needs/import', { csv, idempotencyKey: newIdempotencyKey() }));
  });
  const lines = csv.split(/\r?\n/);
  return (
    <div class="page">
      <p>
        <Link href="/community">← {t('sheet.title')}</Link>
      </p>
      <h1>{t('import.title')}</h1>
      <p class="muted">{t('import.help')}</p>
      <pre class="columns small">{needImportColumns.join(',')}</pre>
      <form class="form" onSubmit={submit}>
        <Field label={t('import.file')}>
          <input type="file" name="file" accept=".csv,text/csv" onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (file) setCsv(await file.text());
          }} />
        </Field>
        <Field label={t('import.paste')}>
          <textarea name="csv" rows={8} class="mono" value={csv} onInput={(e) => setCsv(e.currentTarget.value)} />
        </Field>
        <ErrorNote error={refused ? undefined : error} />
        <button type="submit" class="primary" disabled={busy || !csv.trim()}>
          {busy ? t('state.working') : t('import.submit')}
        </button>
      </form>
      {(report || refused) && (
        <section class="card import-report" aria-label={t('import.report')}>
          <h2>{t('import.report')}</h2>
          <p>
            {report
              ? t('import.summary', { rows: report.rows, created: report.created, merged: report.merged, failed: report.failed })
              : t('import.refused', { lines: refused!.length })}
          </p>
          <table class="table">
            <thead>
              <tr>
                <th class="num">{t('import.line')}</th>
                <th>{t('field.status')}</th>
                <th>{t('import.details')}</th>
              </tr>
            </thead>
            <tbody>
              {(report?.report ?? refused!).map((r) => (
                <tr key={r.line} class={r.status === 'error' ? 'row-error' : ''}>
                  <td class="num">{r.line}</td>
                  <td>
                    <span class={`badge import-${r.status}`}>{tOr(`import.${r.status}`, r.status)}</span>
                  </td>
                  <td>
                    {r.errors?.map((e) => (
                      <div key={e.field}>
                        <strong>{e.field}</strong>: {plainReason(e.reason)}
                      </div>
                    ))}
                    {r.status === 'error' && lines[r.line - 1] && <code class="small">{lines[r.line - 1]}</code>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
