/**
 * Number formatting shared by every output (terminal, report, compare's markdown/HTML/JUnit).
 * Hand-rolled rather than toLocaleString, so output does not depend on the machine's locale or ICU
 * build and the same input renders byte-identical (speedscope's value-formatters: one place).
 */

/** 1234567.8 → "1,234,568"; keeps `digits` decimals; "—" for a non-finite value. */
export function groupThousands(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '—';
  const fixed = Math.abs(n).toFixed(digits);
  const [int = '0', frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = n < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + grouped + (frac !== undefined ? `.${frac}` : '');
}
