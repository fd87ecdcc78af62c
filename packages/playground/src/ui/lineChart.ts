import { prepareCanvas, niceTicks } from './canvas';

export interface Series {
  readonly label: string;
  readonly color: string;
  /** `line` joins the points, `dots` marks each one. @default 'line' */
  readonly style?: 'line' | 'dots';
  readonly width?: number;
  points: Array<readonly [x: number, y: number]>;
}

export interface LineChartOptions {
  readonly xLabel: string;
  /** Fixed y range, or `auto` from the data (from 0). */
  readonly y: { readonly min: number; readonly max: number } | 'auto';
  /** Show y values as percentages (values are shares in [0, 1]). */
  readonly percent?: boolean;
  /** Which series' points set the automatic y range. @default every series */
  readonly autoFrom?: readonly number[];
}

const PAD = { left: 46, right: 12, top: 26, bottom: 30 };

/**
 * A small canvas line chart: a few series over a shared x axis, redrawn at most once per animation
 * frame however often points arrive, so a fast stream of training steps never blocks the page.
 */
export class LineChart {
  xMax = 1;
  private frame = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: LineChartOptions,
    readonly series: Series[],
  ) {
    this.invalidate();
  }

  clear(xMax: number): void {
    for (const s of this.series) s.points = [];
    this.xMax = Math.max(1, xMax);
    this.invalidate();
  }

  /** Schedules a redraw on the next animation frame. */
  invalidate(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw(): void {
    const { ctx, width, height } = prepareCanvas(this.canvas);
    const plotW = width - PAD.left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    const [yMin, yMax] = this.yRange();
    const xMax = Math.max(this.xMax, ...this.series.flatMap((s) => (s.points.length ? [s.points[s.points.length - 1]![0]] : [])));
    const px = (x: number) => PAD.left + (x / xMax) * plotW;
    const py = (y: number) => PAD.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH;

    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeStyle = '#d0d7de';
    ctx.fillStyle = '#57606a';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(yMin, yMax, 5)) {
      const y = Math.round(py(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(PAD.left + plotW, y);
      ctx.stroke();
      ctx.fillText(this.options.percent ? `${+(t * 100).toFixed(1)}%` : `${+t.toFixed(3)}`, PAD.left - 6, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of niceTicks(0, xMax, 6).filter(Number.isInteger)) ctx.fillText(`${t}`, px(t), PAD.top + plotH + 5);
    ctx.textAlign = 'right';
    ctx.fillText(this.options.xLabel, PAD.left + plotW, PAD.top + plotH + 17);

    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top, plotW, plotH);
    ctx.clip();
    for (const s of this.series) {
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      ctx.lineWidth = s.width ?? 1.5;
      if ((s.style ?? 'line') === 'line') {
        ctx.beginPath();
        s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
        ctx.stroke();
      } else {
        for (const [x, y] of s.points) {
          ctx.beginPath();
          ctx.arc(px(x), py(y), 3.5, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
    }
    ctx.restore();

    // legend
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    let x = PAD.left;
    for (const s of this.series) {
      ctx.fillStyle = s.color;
      ctx.fillRect(x, 9, 12, 4);
      ctx.fillStyle = '#1b1f24';
      ctx.fillText(s.label, x + 16, 11);
      x += 16 + ctx.measureText(s.label).width + 14;
    }
  }

  private yRange(): [number, number] {
    if (this.options.y !== 'auto') return [this.options.y.min, this.options.y.max];
    const from = this.options.autoFrom ?? this.series.map((_, i) => i);
    let max = 0;
    for (const i of from) for (const [, y] of this.series[i]?.points ?? []) if (Number.isFinite(y) && y > max) max = y;
    return [0, max > 0 ? max * 1.1 : 1];
  }
}
