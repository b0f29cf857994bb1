/** Offer `csv` as a download named `fileName` (a byte-order mark first, so that Excel reads UTF-8). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has started the download by now; free the blob a little later.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
