export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/**
 * A self-contained SVG line chart (axes, ticks, legend); no dependencies, readable in any browser.
 * `xScale: 'log2'` spaces x by its logarithm and ticks each x the series have (K = 2, 4, ..., 64).
 */
export function lineChartSvg(options: { title: string; xLabel: string; yLabel: string; series: readonly Series[]; yMin?: number; yMax?: number; xScale?: 'linear' | 'log2' }): string {
  const width = 720;
  const height = 420;
  const m = { left: 64, right: 180, top: 40, bottom: 52 };
  const log = options.xScale === 'log2';
  const tx = (x: number) => (log ? Math.log2(x) : x);
  const all = options.series.flatMap((s) => s.points).map(([x, y]) => [tx(x), y] as const);
  const xMax = Math.max(log ? -Infinity : 1, ...all.map((p) => p[0]));
  const xMin = Math.min(...all.map((p) => p[0]), log ? Infinity : 1);
  const yMin = options.yMin ?? Math.min(...all.map((p) => p[1]));
  const yMax = options.yMax ?? Math.max(...all.map((p) => p[1]));
  const sx = (x: number) => m.left + ((x - xMin) / Math.max(xMax - xMin, 1e-9)) * (width - m.left - m.right);
  const sy = (y: number) => height - m.bottom - ((y - yMin) / Math.max(yMax - yMin, 1e-9)) * (height - m.top - m.bottom);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.left}" y="24" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
  ];
  const yTicks = 6;
  for (let i = 0; i <= yTicks; i++) {
    const y = yMin + ((yMax - yMin) * i) / yTicks;
    parts.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 6}" y="${sy(y) + 4}" text-anchor="end">${(y * 100).toFixed(1)}%</text>`,
    );
  }
  if (log) {
    for (const x of [...new Set(options.series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b)) {
      parts.push(`<text x="${sx(tx(x))}" y="${height - m.bottom + 18}" text-anchor="middle">${x}</text>`);
    }
  } else {
    const xStep = Math.max(1, Math.ceil((xMax - xMin) / 10));
    for (let x = xMin; x <= xMax; x += xStep) {
      parts.push(`<text x="${sx(x)}" y="${height - m.bottom + 18}" text-anchor="middle">${x}</text>`);
    }
  }
  parts.push(
    `<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="black"/>`,
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${height - m.bottom}" stroke="black"/>`,
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 12}" text-anchor="middle">${esc(options.xLabel)}</text>`,
    `<text transform="translate(16 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`,
  );
  options.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(tx(p[0])).toFixed(1)},${sy(Math.min(Math.max(p[1], yMin), yMax)).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const ly = m.top + 10 + i * 20;
    parts.push(
      `<line x1="${width - m.right + 14}" x2="${width - m.right + 38}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${width - m.right + 44}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
