/**
 * flamegraph.pl's --nameattr file: per line a function name, a tab, then tab-separated
 * `name=value` attributes for that function's frames (title, class, id, href, target, and
 * g_extra / a_extra holding more `k="v"` pairs). Lenient per line, as inferno: blank lines and
 * empty fields are skipped, a field without "=" is skipped with a warning, a repeated attribute
 * warns and the last one wins.
 */
export interface NameAttrFile {
  attrs: Map<string, Record<string, string>>;
  warnings: string[];
}

/** What flamegraph.pl's frames use: the <g>'s class, id and style, the tooltip, and the link. */
const KNOWN = new Set(['title', 'class', 'id', 'style', 'href', 'target']);
const EXTRA_PAIR = /([A-Za-z_][A-Za-z0-9_.:-]*)="([^"]*)"/g;

export function parseNameAttr(text: string): NameAttrFile {
  const attrs = new Map<string, Record<string, string>>();
  const warnings: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const [name, ...fields] = line.split('\t');
    if (name === undefined || fields.length === 0) {
      warnings.push(`line ${i + 1}: no tab-separated attributes after the name`);
      return;
    }
    const out: Record<string, string> = attrs.get(name) ?? {};
    const set = (k: string, v: string) => {
      if (Object.hasOwn(out, k)) warnings.push(`line ${i + 1}: duplicate attribute "${k}" for ${name}: the last one wins`);
      out[k] = v;
    };
    for (const field of fields) {
      if (field === '') continue;
      const eq = field.indexOf('=');
      if (eq <= 0) {
        warnings.push(`line ${i + 1}: invalid attribute "${field}" (expected name=value), skipped`);
        continue;
      }
      const k = field.slice(0, eq);
      const v = field.slice(eq + 1);
      if (k === 'g_extra' || k === 'a_extra') {
        // Raw markup in flamegraph.pl; here only its k="v" pairs, escaped like every other value.
        for (const m of v.matchAll(EXTRA_PAIR)) set(k === 'g_extra' ? (m[1] as string) : `a:${m[1] as string}`, m[2] as string);
      } else if (!KNOWN.has(k)) {
        warnings.push(`line ${i + 1}: invalid attribute "${k}" (known: ${[...KNOWN].join(', ')}, g_extra, a_extra), skipped`);
      } else set(k, v);
    }
    attrs.set(name, out);
  });
  return { attrs, warnings };
}
