// An embedding app as a user writes it: import the package by name and let Vite bundle it.
import { createChart } from 'metricgl';

const n = 100_000;
const x = Float64Array.from({ length: n }, (_, i) => i);
const y = Float32Array.from({ length: n }, (_, i) => (i === 70_000 ? 3 : 1));
const chart = createChart(document.getElementById('chart'), { yDomain: [0, 4] });
chart.setSeries([{ id: 'app', x, y, color: '#ff0000', width: 1 }]);
window.appFrame = chart.rendered();
