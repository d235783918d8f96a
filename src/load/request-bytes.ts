import type { RequestSpec } from '../scenario/types.js';

/** The raw HTTP/1.1 request our own sender writes; keep-alive is HTTP/1.1's default. */
export function buildRequestBuffer(r: RequestSpec, hostHeader: string): Buffer {
  const lines = [`${r.method.toUpperCase()} ${r.path} HTTP/1.1`];
  const names = new Set(Object.keys(r.headers).map((h) => h.toLowerCase()));
  if (!names.has('host')) lines.push(`Host: ${hostHeader}`);
  for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
  const body = r.body !== undefined ? Buffer.from(r.body) : null;
  if (body && !names.has('content-length')) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}
