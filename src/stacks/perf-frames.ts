/**
 * Frame-name tidying of stackcollapse-perf.pl, one function per rule, in the script's order.
 * Each comment quotes the Perl it reproduces.
 */

export interface FrameOptions {
  annotateKernel: boolean;
  annotateJit: boolean;
  includeAddrs: boolean;
  /** The sample's comm is "java": strip the leading `L` of JVM class names. */
  tidyJava: boolean;
  /** Cut argument lists at the first "(" even inside a template or lambda, as the Perl script does. */
  perlCompatible: boolean;
}

/** `$rawfunc =~ s/\+0x[\da-f]+$//` — the symbol offset that perf ≥ 4.8 prints. */
export function stripOffset(rawfunc: string): string {
  const plus = rawfunc.lastIndexOf('+');
  if (plus < 0 || rawfunc.length - plus < 4) return rawfunc;
  if (rawfunc.charCodeAt(plus + 1) !== 48 || rawfunc.charCodeAt(plus + 2) !== 120) return rawfunc; // "0x"
  for (let i = plus + 3; i < rawfunc.length; i++) {
    const c = rawfunc.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return rawfunc;
  }
  return rawfunc.slice(0, plus);
}

/** Perl's `split /\->/, $s`: trailing empty fields are dropped (so "" gives no field at all). */
export function splitInlined(s: string): string[] {
  const parts = s.split('->');
  let n = parts.length;
  while (n > 0 && parts[n - 1] === '') n--;
  parts.length = n;
  return parts;
}

/** `$func = "[" . ($mod ne "[unknown]" ? basename($mod) : "unknown") . ($addrs ? " <$pc>" : "") . "]"` */
function unknownFrame(mod: string, pc: string, includeAddrs: boolean): string {
  // `s/.*\///`: greedy, so everything up to the last slash goes
  const name = mod !== '[unknown]' ? mod.slice(mod.lastIndexOf('/') + 1) : 'unknown';
  return includeAddrs ? `[${name} <${pc}>]` : `[${name}]`;
}

/**
 * Where the argument list of a C++ name starts: the first "(" outside template arguments `<…>`,
 * lambdas `{lambda(int)#1}` and brackets, so `std::function<int (int)>::operator()(int)` keeps its
 * template (the Perl script cuts at the first "(" and prints `std::function<int `). The "<" and
 * ">" of `operator<<`, `operator>=`… are part of a name, not brackets.
 */
function argumentListStart(func: string): number {
  let depth = 0;
  for (let i = 0; i < func.length; i++) {
    const c = func.charCodeAt(i);
    if (c === 111 /* o */ && func.startsWith('operator', i)) {
      // `operator<<`, `operator>=`, `operator[]`…: skip the operator's characters. The "()" of
      // `operator()` is left alone, so it is cut there, as the Perl script does.
      let j = i + 8;
      while (j < func.length && '<>=!-+*/%&|^~,[]'.includes(func[j] as string)) j++;
      i = j - 1;
      continue;
    }
    if (c === 60 || c === 123 || c === 91) depth++; // < { [
    else if ((c === 62 || c === 125 || c === 93 || c === 41) && depth > 0) depth--; // > } ] )
    else if (c === 40) {
      // (
      if (depth === 0 && !func.startsWith('(anonymous namespace)', i)) return i;
      depth++;
    }
  }
  return -1;
}

/**
 * `$tidy_generic`: `s/;/:/g`; unless it looks like a Go method (`/\.\(.*\)\./`), drop everything
 * from the first "(" that does not open "(anonymous namespace)"; then `tr/"\'//d`. Unless
 * `perlCompatible`, a "(" inside a template or lambda does not count (see argumentListStart).
 */
export function tidyGeneric(func: string, perlCompatible = true): string {
  if (func.includes(';')) func = func.replaceAll(';', ':');
  const dotParen = func.indexOf('.(');
  const isGoMethod = dotParen >= 0 && func.lastIndexOf(').') >= dotParen + 2;
  if (!isGoMethod) {
    let p = func.indexOf('(');
    while (p >= 0 && func.startsWith('anonymous namespace)', p + 1)) p = func.indexOf('(', p + 1);
    if (p >= 0 && !perlCompatible && /[<{[]/.test(func.slice(0, p))) p = argumentListStart(func);
    if (p >= 0) func = func.slice(0, p);
  }
  if (func.includes('"')) func = func.replaceAll('"', '');
  if (func.includes("'")) func = func.replaceAll("'", '');
  return func;
}

/** `$mod =~ m/(^\[|vmlinux$)/ && $mod !~ /unknown/` */
function isKernelModule(mod: string): boolean {
  return (mod.startsWith('[') || mod.endsWith('vmlinux')) && !mod.includes('unknown');
}

/** `$mod =~ m:/tmp/perf-\d+\.map:` */
function isJitModule(mod: string): boolean {
  let from = 0;
  for (;;) {
    const i = mod.indexOf('/tmp/perf-', from);
    if (i < 0) return false;
    let j = i + 10;
    while (j < mod.length && mod.charCodeAt(j) >= 48 && mod.charCodeAt(j) <= 57) j++;
    if (j > i + 10 && mod.startsWith('.map', j)) return true;
    from = i + 1;
  }
}

/**
 * One frame line → its frames in caller-last order (perf prints `a->b` for b inlined into a),
 * joined with ";", or null when the line contributes no frame.
 */
export function frameGroup(pc: string, rawfunc: string, mod: string, o: FrameOptions): string | null {
  const stripped = stripOffset(rawfunc);
  if (stripped.charCodeAt(0) === 40) return null; // `next if $rawfunc =~ /^\(/`: process names
  const parts = stripped.includes('->') ? splitInlined(stripped) : stripped === '' ? [] : [stripped];
  if (parts.length === 0) return null;
  let out = '';
  for (let k = 0; k < parts.length; k++) {
    let func = parts[k] as string;
    if (func === '[unknown]') func = unknownFrame(mod, pc, o.includeAddrs);
    func = tidyGeneric(func, o.perlCompatible);
    if (o.tidyJava && func.includes('/') && func.charCodeAt(0) === 76) func = func.slice(1); // 'L'
    if (k > 0) func += '_[i]';
    else if (o.annotateKernel && isKernelModule(mod)) func += '_[k]';
    else if (o.annotateJit && isJitModule(mod)) func += '_[j]';
    out = k === 0 ? func : `${out};${func}`;
  }
  return out;
}
