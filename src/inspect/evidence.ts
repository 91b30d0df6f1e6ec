/** Short, safe excerpts of what matched, for findings and the audit log. */

const MAX_EVIDENCE = 80;

/** The matched text with a little context, at most 80 characters, control characters shown escaped. */
export function excerpt(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 20);
  const to = Math.min(text.length, Math.max(end, start + 1) + 20, from + MAX_EVIDENCE);
  const cut = text.slice(from, to).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${from > 0 ? '…' : ''}${cut}${to < text.length ? '…' : ''}`;
}

/** A secret shown by its first four characters and its length only. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 4)}…(${secret.length} chars)`;
}
