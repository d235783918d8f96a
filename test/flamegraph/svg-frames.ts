/** Reads the frames back out of a rendered SVG, for structural assertions. */
export interface SvgFrame {
  title: string;
  name: string;
  x: number;
  y: number;
  width: number;
  fill: string;
}

const FRAME =
  /<g(?: [^>]*)?><title>([^<]*)<\/title>(?:<a [^>]*>)?<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" fill="(#[0-9a-f]{6})"/g;

export function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

export function framesOf(svg: string): SvgFrame[] {
  const out: SvgFrame[] = [];
  for (const m of svg.matchAll(FRAME)) {
    const title = unescapeXml(m[1] as string);
    out.push({
      title,
      name: title.slice(0, title.lastIndexOf(' (')),
      x: Number(m[2]),
      y: Number(m[3]),
      width: Number(m[4]),
      fill: m[5] as string,
    });
  }
  return out;
}

export function rgbOf(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}
