import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Curve {
  /** Adds a point at x; a value may be null where a series has none (validation is measured less often). */
  add(x: number, values: (number | null)[]): void;
  readonly points: number;
  destroy(): void;
}

const HEIGHT = 260;
const COLORS = ['--chart-1', '--chart-2', '--chart-3'];

/** A uPlot line chart that keeps its height while empty, so nothing below it moves when points arrive. */
export function createCurve(slot: HTMLElement, xLabel: string, names: string[]): Curve {
  const style = getComputedStyle(document.documentElement);
  const ink = style.getPropertyValue('--muted').trim() || '#888';
  const grid = style.getPropertyValue('--line').trim() || '#ccc';
  const xs: number[] = [];
  const ys: (number | null)[][] = names.map(() => []);
  const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const plot = new uPlot(
    {
      width: Math.max(slot.clientWidth, 200),
      height: HEIGHT,
      scales: { x: { time: false } },
      axes: [{ ...axis, label: xLabel }, { ...axis }],
      series: [
        { label: xLabel },
        ...names.map((label, index) => ({
          label,
          stroke: style.getPropertyValue(COLORS[index % COLORS.length] ?? '--chart-1').trim() || '#36c',
          width: 2,
          spanGaps: true,
          points: { show: false },
        })),
      ],
      legend: { live: false },
    },
    [xs, ...ys] as uPlot.AlignedData,
    slot,
  );
  const resize = new ResizeObserver(() => {
    plot.setSize({ width: Math.max(slot.clientWidth, 200), height: HEIGHT });
  });
  resize.observe(slot);
  return {
    add(x, values) {
      const at = xs.indexOf(x);
      if (at >= 0) {
        // The same step again (polling and events both report it): fill in what was missing.
        values.forEach((value, index) => {
          const series = ys[index];
          if (series && value !== null) series[at] = value;
        });
      } else {
        let index = xs.length;
        while (index > 0 && (xs[index - 1] ?? 0) > x) index--;
        xs.splice(index, 0, x);
        ys.forEach((series, series_index) => series.splice(index, 0, values[series_index] ?? null));
      }
      plot.setData([xs, ...ys] as uPlot.AlignedData);
      slot.dataset.points = String(xs.length);
    },
    get points() {
      return xs.length;
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
