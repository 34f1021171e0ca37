/**
 * The demo explorer: the Aim Metrics Explorer workflow on metricgl. Real modded-nanogpt logs by
 * default (shipped in demo/data with their MIT notice), files by picker or drag-and-drop (parsed
 * in a worker with progress), a live folder when started with --logdir, and a replay of a run as
 * if it were training. The whole view lives in the URL.
 */
import { createIncrementalParser, loadFiles } from '../../src/loaders/client';
import { Board } from './board';
import { compileFilter } from './filter';
import { Dataset } from './model';
import { readState, writeState, type ExplorerState } from './state';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let state: ExplorerState = readState(location.hash);
const data = new Dataset();
const board = new Board($('grid'), $('legend'), data, () => state, (patch) => set(patch, false));

/** Change the state: the URL follows; `redraw` regroups or re-applies as the change needs. */
function set(patch: Partial<ExplorerState>, redraw = true): void {
  const before = state;
  state = { ...state, ...patch };
  history.replaceState(null, '', writeState(state));
  if (!redraw) return;
  const regroup = ['metrics', 'chartBy', 'colorBy', 'strokeBy', 'filter'].some((k) => k in patch) && !sameGroups(before, state);
  if (regroup) board.rebuild();
  else board.applyView();
  controls();
  status();
}

function sameGroups(a: ExplorerState, b: ExplorerState): boolean {
  return JSON.stringify([a.metrics, a.chartBy, a.colorBy, a.strokeBy, a.filter]) === JSON.stringify([b.metrics, b.chartBy, b.colorBy, b.strokeBy, b.filter]);
}

// --- controls ------------------------------------------------------------------------------

function options(select: HTMLSelectElement, values: string[], current: string | null, none = true): void {
  const want = [...(none ? ['–'] : []), ...values];
  if ([...select.options].map((o) => o.value).join() !== want.join()) {
    select.replaceChildren(...want.map((v) => new Option(v === '–' ? '(none)' : v, v)));
  }
  select.value = current ?? '–';
}

function controls(): void {
  const fields = data.fieldNames().filter((f) => f !== 'run' && f !== 'metric');
  const metricsBox = $('metrics');
  const have = new Set([...metricsBox.querySelectorAll('input')].map((i) => i.value));
  for (const m of data.metrics()) {
    if (have.has(m)) continue;
    const label = document.createElement('label');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: m });
    box.onchange = () => set({ metrics: [...metricsBox.querySelectorAll('input')].filter((i) => i.checked).map((i) => i.value) });
    label.append(box, ` ${m}`);
    metricsBox.append(label);
  }
  for (const box of metricsBox.querySelectorAll('input')) box.checked = state.metrics.includes(box.value);
  options($('chartBy'), fields, state.chartBy);
  options($('colorBy'), fields, state.colorBy);
  options($('strokeBy'), fields, state.strokeBy);
  if (document.activeElement !== $('filter')) $<HTMLInputElement>('filter').value = state.filter;
  $<HTMLInputElement>('weight').value = String(state.smoothing.weight);
  $('weightOut').textContent = state.smoothing.weight.toFixed(2);
  $<HTMLSelectElement>('mode').value = state.smoothing.mode;
  $<HTMLInputElement>('showRaw').checked = state.showRaw;
  // x axes the data has: step always, the others where some series carries them
  const names: Record<string, string> = { step: 'step', time: 'relative time', wall: 'absolute time', epoch: 'epoch' };
  const xOptions = ['step', ...data.xColumns()];
  const xSel = $<HTMLSelectElement>('x');
  if ([...xSel.options].map((o) => o.value).join() !== xOptions.join()) xSel.replaceChildren(...xOptions.map((v) => new Option(names[v], v)));
  xSel.value = state.x;
  $<HTMLSelectElement>('yScale').value = state.yScale;
  $<HTMLInputElement>('outliers').checked = state.ignoreOutliers;
  const runs = [...data.series.values()].filter((d) => state.metrics.includes(d.metric)).sort((a, b) => b.step.length - a.step.length).slice(0, 50);
  options($('replayRun'), runs.map((d) => d.key), $<HTMLSelectElement>('replayRun').value || runs[0]?.key || null, false);
}

const pick = (id: string) => {
  const v = $<HTMLSelectElement>(id).value;
  return v === '–' ? null : v;
};
$('chartBy').onchange = () => set({ chartBy: pick('chartBy') });
$('colorBy').onchange = () => set({ colorBy: pick('colorBy') });
$('strokeBy').onchange = () => set({ strokeBy: pick('strokeBy') });
$('filter').oninput = () => {
  const src = $<HTMLInputElement>('filter').value;
  try {
    compileFilter(src);
    $('filterError').textContent = '';
    set({ filter: src });
  } catch (e) {
    $('filterError').textContent = (e as Error).message; // the charts keep the last good filter
  }
};
$('weight').oninput = () => set({ smoothing: { ...state.smoothing, weight: +$<HTMLInputElement>('weight').value } });
$('mode').onchange = () => set({ smoothing: { ...state.smoothing, mode: $<HTMLSelectElement>('mode').value as 'ema' | 'time-weighted' } });
$('showRaw').onchange = () => set({ showRaw: $<HTMLInputElement>('showRaw').checked });
$('x').onchange = () => set({ x: $<HTMLSelectElement>('x').value as ExplorerState['x'], xDomain: null });
$('yScale').onchange = () => set({ yScale: $<HTMLSelectElement>('yScale').value as 'linear' | 'log' });
$('outliers').onchange = () => set({ ignoreOutliers: $<HTMLInputElement>('outliers').checked });
$('reset').onclick = () => set({ xDomain: null });
$('rate').oninput = () => ($('rateOut').textContent = $<HTMLInputElement>('rate').value);
$('replay').onclick = () => {
  if (board.replaying) {
    board.rebuild();
    $('replay').textContent = 'start';
    $('liveStatus').textContent = '';
    return;
  }
  const key = $<HTMLSelectElement>('replayRun').value;
  board.replay(key, +$<HTMLInputElement>('rate').value);
  $('replay').textContent = 'stop';
  $('liveStatus').textContent = `replaying ${key.split('\u0000')[0].slice(0, 8)}…`;
};

function status(extra = ''): void {
  $('status').textContent = `${data.series.size.toLocaleString()} series · ${data.points.toLocaleString()} points · ${board.charts.length} chart(s)${extra}`;
}

// --- loading -------------------------------------------------------------------------------

async function load(files: File[]): Promise<void> {
  const bar = $<HTMLProgressElement>('progress');
  bar.hidden = false;
  const { series, errors } = await loadFiles(files, (done, total) => {
    bar.max = total;
    bar.value = done;
  });
  bar.hidden = true;
  // a bad file is reported by name; everything already loaded stays
  $('loadErrors').textContent = errors.map((e) => `${e.file}: ${e.message}`).join('\n');
  data.add(series);
  controls();
  status();
}

$<HTMLInputElement>('files').onchange = (e) => {
  const input = e.target as HTMLInputElement;
  if (input.files?.length) load([...input.files]).finally(() => (input.value = ''));
};
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  if (e.dataTransfer?.files.length) load([...e.dataTransfer.files]);
});

/** The shipped logs, gunzipped here and parsed in the loader's worker. */
async function loadDefault(): Promise<void> {
  const res = await fetch(new URL('../data/modded-nanogpt-loss.csv.gz', import.meta.url));
  if (!res.ok) throw new Error(`demo data: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // a server may already have decoded it (Content-Encoding: gzip); the gzip magic says if not
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const blob = gz ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).blob() : new Blob([bytes]);
  await load([new File([blob], 'modded-nanogpt-loss.csv')]);
}

/** `npm run demo -- --logdir DIR`: stream the folder's files as they grow. */
async function connectLive(): Promise<void> {
  const res = await fetch('/api/logdir').catch(() => null);
  if (!res?.ok) return;
  const info = (await res.json()) as { dir: string };
  const parsers = new Map<string, ReturnType<typeof createIncrementalParser>>();
  /** series keys that came from each file, dropped when the file is sent again from the start */
  const fromFile = new Map<string, Set<string>>();
  const source = new EventSource('/api/live');
  // every (re)connection starts with the files' whole content again
  source.addEventListener('start', () => {
    parsers.clear();
    data.remove([...fromFile.values()].flatMap((s) => [...s]));
    fromFile.clear();
  });
  source.onmessage = (e) => {
    const m = JSON.parse(e.data) as { file: string; kind: 'csv' | 'jsonl' | 'tfevents'; reset?: boolean; text?: string; base64?: string };
    if (m.reset || !parsers.has(m.file)) {
      parsers.set(m.file, createIncrementalParser(m.file, m.kind));
      data.remove(fromFile.get(m.file) ?? []);
      fromFile.set(m.file, new Set());
    }
    const chunk = m.text ?? Uint8Array.from(atob(m.base64 ?? ''), (c) => c.charCodeAt(0));
    try {
      const fresh = parsers.get(m.file)!.push(chunk);
      for (const f of fresh) fromFile.get(m.file)!.add(f.key);
      if (fresh.length) data.add(fresh);
      $('liveStatus').textContent = `watching ${info.dir}`;
    } catch (err) {
      $('loadErrors').textContent = (err as Error).message;
    }
    status();
  };
}

// --- start ---------------------------------------------------------------------------------

const t0 = performance.now();
const ready = loadDefault()
  .then(async () => {
    const frames = await Promise.all(board.charts.map((c) => c.rendered()));
    status(` · first view in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    return frames;
  })
  .catch((e) => {
    $('loadErrors').textContent = String(e);
  });
connectLive();
controls();

/** For the console and the tests. */
Object.assign(window, { explorer: { data, board, ready, state: () => state, t0 } });
