// A radar (spider) chart as inline SVG markup, for the HTML report: one axis per area, the
// score 0-100 along it. Pure and self-contained: no script, no font, no external reference,
// so it renders the same on screen, in print and in a PDF. Meant to be inlined in HTML, where
// the SVG namespace is implied (so the markup holds no URL at all).
import { escapeAttribute, escapeText } from './html-escape';

export interface RadarAxis {
  label: string;
  /** 0-100; null when nothing was judged: drawn at 0 and labelled "not judged". */
  score: number | null;
}

export interface RadarOptions {
  /** The chart's accessible name (SVG <title>). */
  title: string;
  /** Prefix for the element ids, unique within the page. */
  idPrefix?: string;
}

export const notJudgedLabel = 'not judged';

const width = 560;
const height = 440;
const cx = width / 2;
const cy = height / 2;
const radius = 150;
const rings = [25, 50, 75, 100];

// Fixed precision keeps the markup byte-identical across machines and runs.
const num = (n: number): string => (Object.is(Math.round(n * 10) / 10, -0) ? '0' : (Math.round(n * 10) / 10).toFixed(1));

/** Unit vector of axis i of n, the first pointing straight up, then clockwise. */
function direction(i: number, n: number): { x: number; y: number } {
  const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
  const x = Math.cos(angle);
  const y = Math.sin(angle);
  // Snap the float noise of cos(90°) and friends so anchors and output are exact.
  return { x: Math.abs(x) < 1e-9 ? 0 : x, y: Math.abs(y) < 1e-9 ? 0 : y };
}

function point(i: number, n: number, value: number): string {
  const d = direction(i, n);
  const r = (radius * value) / 100;
  return `${num(cx + d.x * r)},${num(cy + d.y * r)}`;
}

function clamp(score: number | null): number {
  if (score === null || !Number.isFinite(score)) return 0;
  return Math.min(100, Math.max(0, score));
}

export function scoreLabel(score: number | null): string {
  return score === null ? notJudgedLabel : String(score);
}

function axisLabel(axis: RadarAxis, i: number, n: number): string {
  const d = direction(i, n);
  const px = cx + d.x * (radius + 18);
  const py = cy + d.y * (radius + 18);
  const anchor = d.x === 0 ? 'middle' : d.x > 0 ? 'start' : 'end';
  // Two lines, title then score, kept clear of the chart: above the point for the upper
  // axes, below it for the lower ones, centred on it at the sides.
  const [titleY, scoreY] = d.y < -0.5 ? [py - 15, py] : d.y > 0.5 ? [py + 12, py + 27] : [py - 2, py + 13];
  const notJudged = axis.score === null ? ' not-judged' : '';
  return [
    `<text class="axis-label" x="${num(px)}" y="${num(titleY)}" text-anchor="${anchor}">${escapeText(axis.label)}</text>`,
    `<text class="axis-score${notJudged}" x="${num(px)}" y="${num(scoreY)}" text-anchor="${anchor}">${escapeText(scoreLabel(axis.score))}</text>`,
  ].join('');
}

/** The chart as an <svg> element: a ring per quarter, one axis per entry, the scores' polygon. */
export function radarChart(axes: readonly RadarAxis[], opts: RadarOptions): string {
  const n = axes.length;
  if (n < 3) throw new Error(`a radar chart needs at least 3 axes, got ${n}`);
  const id = opts.idPrefix ?? 'radar';
  const ringPolygons = rings.map(
    (r) => `<polygon class="ring" points="${axes.map((_, i) => point(i, n, r)).join(' ')}"/>`,
  );
  const ringLabels = rings.map((r) => {
    const [x, y] = point(0, n, r).split(',');
    return `<text class="ring-label" x="${num(Number(x) + 4)}" y="${num(Number(y) + 11)}">${r}</text>`;
  });
  const spokes = axes.map((a, i) => {
    const end = point(i, n, 100).split(',');
    return `<line class="spoke${a.score === null ? ' not-judged' : ''}" x1="${num(cx)}" y1="${num(cy)}" x2="${end[0]}" y2="${end[1]}"/>`;
  });
  const scores = axes.map((a, i) => point(i, n, clamp(a.score)));
  const dots = axes.map((a, i) => {
    const [x, y] = scores[i]!.split(',');
    return `<circle class="score-point${a.score === null ? ' not-judged' : ''}" cx="${x}" cy="${y}" r="3.5"/>`;
  });
  const description = axes.map((a) => `${a.label}: ${scoreLabel(a.score)}`).join('; ');
  return [
    `<svg class="radar" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${escapeAttribute(`${id}-title`)} ${escapeAttribute(`${id}-desc`)}">`,
    `<title id="${escapeAttribute(`${id}-title`)}">${escapeText(opts.title)}</title>`,
    `<desc id="${escapeAttribute(`${id}-desc`)}">${escapeText(`Scores out of 100. ${description}.`)}</desc>`,
    `<g aria-hidden="true">`,
    ...ringPolygons,
    ...spokes,
    ...ringLabels,
    `<polygon class="scores" points="${scores.join(' ')}"/>`,
    ...dots,
    ...axes.map((a, i) => axisLabel(a, i, n)),
    `</g>`,
    `</svg>`,
  ].join('\n');
}
