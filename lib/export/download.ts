/**
 * Saves text as a file from an extension page: a Blob, an object URL and a click on a detached `<a download>`.
 * The object URL is revoked once the browser has taken the file.
 */
export function downloadText(
  fileName: string,
  mimeType: string,
  text: string,
  doc: Document = document,
): void {
  const blob = new Blob([text], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const anchor = doc.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  doc.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
