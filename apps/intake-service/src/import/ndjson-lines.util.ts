/**
 * Splits a request body into NDJSON lines the way the CLI reads a file (`readline`): `\n` or `\r\n` ends a line,
 * a final line ending does not start another line, an empty body has no lines.
 */
export function splitNdjsonLines(body: string): string[] {
  if (body === '') return [];
  const lines = body.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A UTF-8 byte order mark some editors put at the start of a file; not part of line 1. */
export function stripBom(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}
