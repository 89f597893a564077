// Saving a file the page holds (a CSV it built, a PDF it fetched), as a download link would. Apart from
// download.ts so that the CSV export needs nothing of the API client (and runs in tests without a browser).

/** Saves a blob under the given name. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
