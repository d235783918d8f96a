/**
 * The one escaper set: for everything that reaches XML or HTML from stacks, scenarios, configs,
 * titles and options (flame graph SVGs, the report's plots, JUnit XML). Output must stay
 * well-formed XML when opened on its own and safe when inlined into an HTML page.
 */

// Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF):
// one of them anywhere and the whole SVG fails to parse, so they become U+FFFD.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>"']/;
const SPECIAL_G = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For XML text and attribute values alike (quotes are escaped too). */
export function escapeXml(s: string): string {
  let out = s;
  INVALID_XML.lastIndex = 0;
  if (INVALID_XML.test(out)) out = out.replace(INVALID_XML, '\uFFFD');
  if (!SPECIAL.test(out)) return out;
  return out.replace(SPECIAL_G, (c) => ENTITY[c] as string);
}

/**
 * JSON for a script inside the SVG (in a CDATA section): `<`, `>` and `&` become \u escapes, so no
 * `</script>`, `]]>` or entity can end or alter the script; U+2028/9 are escaped for old parsers, and everything
 * else outside ASCII, so the script reads the same in any --encoding.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    // every non-ASCII character too: the SVG may be written in a single-byte --encoding
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** ids and id prefixes: keep only characters valid in an XML name and a CSS selector. */
export function safeIdPrefix(prefix: string): string {
  const cleaned = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `fg${cleaned}`;
}
