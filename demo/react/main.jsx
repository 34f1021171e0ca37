// metricgl in React: a <MetricChart> component owns one chart for the life of its <div>.
// Run with `npx vite demo/react` (or build it: `npx vite build demo/react`).
import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { makeRuns } from '../example-runs.js';
import { createChart } from '../../src/index.ts';

/**
 * One chart. `series` and `options` are compared by identity, as React compares props: pass
 * memoized values, or every render re-sends the series to the worker.
 * `onChart(chart | null)` hands the Chart out, for `append` (live runs) or `rendered()`.
 */
function MetricChart({ series, options, onChart, ...divProps }) {
  const div = useRef(null);
  const chart = useRef(null);
  // creation first, then the two effects below fill it, in declaration order; under StrictMode
  // React mounts, unmounts and mounts again, and this pairs every createChart with a destroy
  useEffect(() => {
    const c = createChart(div.current);
    chart.current = c;
    onChart?.(c);
    return () => {
      onChart?.(null);
      chart.current = null;
      c.destroy();
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- one chart per mounted div
  useEffect(() => {
    if (series) chart.current.setSeries(series);
  }, [series]);
  useEffect(() => {
    if (options) chart.current.update(options);
  }, [options]);
  return <div ref={div} {...divProps} />;
}

function App() {
  const { train, evals } = useMemo(() => makeRuns(), []);
  const [weight, setWeight] = useState(0.6);
  // time-weighted: the same window in steps for every run and point density (see README, Smoothing)
  const options = useMemo(() => ({ yScale: 'log', smoothing: { weight, mode: 'time-weighted' } }), [weight]);
  // the charts, by name, for the console and the browser tests (window.charts)
  const onChart = (name) => (c) => {
    window.charts ??= {};
    if (c) window.charts[name] = c;
    else delete window.charts[name];
  };
  return (
    <>
      <header>
        <h1>metricgl · React</h1>
        <label>
          smoothing{' '}
          <input id="smoothing" type="range" min="0" max="0.99" step="0.01" value={weight}
            onChange={(e) => setWeight(Number(e.target.value))} />{' '}
          {weight.toFixed(2)}
        </label>
      </header>
      <div className="charts">
        <section>
          <h2>train loss</h2>
          <MetricChart id="train" className="chart" series={train} options={options} onChart={onChart('train')} />
        </section>
        <section>
          <h2>eval loss</h2>
          <MetricChart id="eval" className="chart" series={evals} options={options} onChart={onChart('eval')} />
        </section>
      </div>
    </>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
