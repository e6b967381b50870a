// multipart/form-data as the fake's import route receives it (Superset reads it with werkzeug).
/** multipart/form-data: files by field name as bytes, the other fields as text. */
export function parseMultipart(
  type: string,
  body: Buffer,
): { parts: Record<string, Uint8Array>; fields: Record<string, string> } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  const marker = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}`);
  const parts: Record<string, Uint8Array> = {};
  const fields: Record<string, string> = {};
  let start = body.indexOf(marker);
  while (start !== -1) {
    const next = body.indexOf(marker, start + marker.length);
    if (next === -1) break;
    const part = body.subarray(start + marker.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString();
    const content = part.subarray(split + 4);
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (name) {
      if (/filename=/.test(head)) parts[name] = new Uint8Array(content);
      else fields[name] = content.toString();
    }
    start = next;
  }
  return { parts, fields };
}
