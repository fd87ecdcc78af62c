import type { LayerHistogram } from '../protocol';
import { prepareCanvas } from './canvas';

const PAD = { left: 40, right: 10, top: 24, bottom: 26 };

/**
 * Draws one layer's Figure 11: the share of all options (grey) and of the selected weights (colour)
 * in each bin over [-bound, bound]. Returns a sentence describing it, for the canvas' aria-label.
 */
export function drawLayerHistogram(canvas: HTMLCanvasElement, h: LayerHistogram): string {
  const { ctx, width, height } = prepareCanvas(canvas);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const share = (counts: readonly number[], total: number) => counts.map((c) => (total > 0 ? c / total : 0));
  const options = share(h.options.counts, h.options.total);
  const selected = share(h.selected.counts, h.selected.total);
  const max = Math.max(...options, ...selected, 1e-9) * 1.1;
  const bins = options.length;
  const barW = plotW / bins;
  const py = (v: number) => PAD.top + plotH - (v / max) * plotH;

  ctx.fillStyle = 'rgba(87, 96, 106, 0.35)';
  options.forEach((v, i) => ctx.fillRect(PAD.left + i * barW, py(v), barW, PAD.top + plotH - py(v)));
  ctx.fillStyle = 'rgba(10, 102, 194, 0.7)';
  selected.forEach((v, i) => ctx.fillRect(PAD.left + i * barW + barW * 0.2, py(v), barW * 0.6, PAD.top + plotH - py(v)));

  ctx.strokeStyle = '#d0d7de';
  ctx.strokeRect(PAD.left + 0.5, PAD.top + 0.5, plotW, plotH);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#57606a';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(`-${h.bound.toPrecision(2)}`, PAD.left, PAD.top + plotH + 5);
  ctx.textAlign = 'center';
  ctx.fillText('0', PAD.left + plotW / 2, PAD.top + plotH + 5);
  ctx.fillText('weight', PAD.left + plotW / 2, PAD.top + plotH + 15);
  ctx.textAlign = 'right';
  ctx.fillText(h.bound.toPrecision(2), PAD.left + plotW, PAD.top + plotH + 5);
  ctx.textBaseline = 'middle';
  ctx.fillText(`${+(max * 100).toFixed(1)}%`, PAD.left - 4, PAD.top + 4);
  ctx.fillText('0%', PAD.left - 4, PAD.top + plotH);

  ctx.textAlign = 'left';
  ctx.fillStyle = '#1b1f24';
  ctx.fillText(h.layer, PAD.left, 10);
  const legend = [
    ['rgba(87, 96, 106, 0.6)', 'all options'],
    ['rgba(10, 102, 194, 0.85)', 'selected'],
  ] as const;
  let x = PAD.left + ctx.measureText(h.layer).width + 16;
  for (const [color, label] of legend) {
    ctx.fillStyle = color;
    ctx.fillRect(x, 6, 10, 8);
    ctx.fillStyle = '#1b1f24';
    ctx.fillText(label, x + 14, 10);
    x += 14 + ctx.measureText(label).width + 12;
  }

  const outer = (shares: number[]) => shares.slice(0, bins / 4).concat(shares.slice(bins - bins / 4)).reduce((a, b) => a + b, 0);
  return (
    `${h.layer}: ${h.selected.total.toLocaleString('en')} selected weights against ${h.options.total.toLocaleString('en')} options in [-${h.bound.toPrecision(2)}, ${h.bound.toPrecision(2)}]; ` +
    `${(outer(selected) * 100).toFixed(0)}% of the selected weights lie in the outer half of the range, against ${(outer(options) * 100).toFixed(0)}% of all options`
  );
}
