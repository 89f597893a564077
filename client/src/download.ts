// Files the server makes (the deliveries report's CSV and PDF, handover sheets): fetched with the session
// cookie and the web app's CSRF header, as every API call (a plain link cannot send the header a POST needs),
// then saved under the name the server gives. Refusals become the same ApiError as any call.
import { request, type RequestOptions } from './api.ts';
import { saveBlob } from './save-file.ts';

/** The file name in a Content-Disposition header (`filename*=UTF-8''…` first), else the fallback. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const extended = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (extended) return decodeURIComponent(extended);
  return disposition?.match(/filename="?([^";]+)"?/i)?.[1] ?? fallback;
}

/** Fetches what an endpoint answers as a file and saves it; resolves to the name it was saved under. */
export async function downloadFile(method: 'GET' | 'POST', path: string, options: Pick<RequestOptions, 'query' | 'body'>, fallbackName: string): Promise<string> {
  const { blob, disposition } = await request<{ blob: Blob; disposition: string | null }>(method, path, { ...options, asBlob: true });
  const name = attachmentName(disposition, fallbackName);
  saveBlob(blob, name);
  return name;
}
