import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LogarithmicScale,
  Title,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Legend,
  Title,
  Tooltip,
);

/** jpegkit in blues, everyone else in distinct warm and neutral colours. */
const JPEGKIT_COLOURS = ['#2f6fed', '#5b8ff2', '#8fb2f7'];
const PEER_COLOURS = ['#f08c2e', '#2ea37a', '#b45ad6', '#d64b4b', '#7b8794', '#c9a227'];

export function seriesColours(labels: readonly string[]): string[] {
  let jpegkit = 0;
  let peer = 0;
  return labels.map((label) =>
    /jpegkit/i.test(label)
      ? JPEGKIT_COLOURS[jpegkit++ % JPEGKIT_COLOURS.length]!
      : PEER_COLOURS[peer++ % PEER_COLOURS.length]!,
  );
}

export interface BarChartSpec {
  title: string;
  categories: string[];
  series: { label: string; values: (number | null)[] }[];
  yTitle: string;
  logarithmic?: boolean;
}

/** A grouped bar chart in its own box; replaces any chart the canvas had. */
export function barChart(canvas: HTMLCanvasElement, spec: BarChartSpec): Chart<'bar', (number | null)[]> {
  Chart.getChart(canvas)?.destroy();
  const colours = seriesColours(spec.series.map((s) => s.label));
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.categories,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: colours[i],
        borderRadius: 3,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        title: { display: true, text: spec.title, font: { size: 14 } },
        legend: { position: 'bottom' },
      },
      scales: {
        y: {
          type: spec.logarithmic ? 'logarithmic' : 'linear',
          title: { display: true, text: spec.yTitle },
          beginAtZero: !spec.logarithmic,
        },
      },
    },
  });
  canvas.dataset.rendered = 'true';
  return chart;
}

/** A canvas inside a sized box (Chart.js sizes itself to its parent). */
export function chartBox(): { box: HTMLDivElement; canvas: HTMLCanvasElement } {
  const box = document.createElement('div');
  box.className = 'chart-box';
  const canvas = document.createElement('canvas');
  box.append(canvas);
  return { box, canvas };
}
