// Shared by the React and Vue examples: a few generated runs, so both show the same data.
// Generated runs: loss = floor + scale * exp(-step / tau) + noise, logged every step (train) and
// every 250 steps (eval). All runs share their x arrays, which metricgl stores once.
function random(seed) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export function makeRuns(count = 4, steps = 20_000) {
  const trainX = Float64Array.from({ length: steps }, (_, i) => i);
  const evalX = Float64Array.from({ length: steps / 250 + 1 }, (_, i) => i * 250);
  const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
  const train = [];
  const evals = [];
  for (let r = 0; r < count; r++) {
    const rand = random(r + 1);
    const floor = 2 + 0.25 * r;
    const tau = 2500 + 1500 * r;
    const curve = (s) => floor + 6 * Math.exp(-s / tau);
    const style = { label: `run-${r}`, color: colors[r % colors.length] };
    train.push({ id: `run-${r}/train`, x: trainX, y: trainX.map((s) => curve(s) + (rand() - 0.5) * 0.8), ...style });
    evals.push({ id: `run-${r}/eval`, x: evalX, y: evalX.map((s) => curve(s) + 0.15 + (rand() - 0.5) * 0.1), ...style });
  }
  return { train, evals };
}

