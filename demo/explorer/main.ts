/**
 * The demo explorer: the Aim Metrics Explorer workflow on metricgl. Real modded-nanogpt logs by
 * default (shipped in demo/data with their MIT notice), files by picker or drag-and-drop (parsed
 * in a worker with progress), a live folder when started with --logdir, and a replay of a run as
 * if it were training. On a metricgl server (`npm run demo -- --db FILE`: its answer to GET
 * /api/logdir says so) the series are the server's and their points stay there (remote.ts). The
 * whole view lives in the URL.
 */
import { prewarm } from '../../src/index';
import { loadFiles } from '../../src/loaders/client';
import { Board } from './board';
import { compileFilter } from '../../src/query/filter';
import { panelToggles } from './layout';
import { connectLive, logdirInfo, type LiveConnection } from './live';
import { Messages } from './messages';
import { Dataset, type Source } from './model';
import { connectServer, probeServer, type ServerConnection, type ServerState } from './remote';
import type { SourceInfo } from '../../src/source/client';
import { statusText } from './status';
import { DEFAULT_SIGMA, DEFAULT_WINDOW, readState, writeState, xNames, type ExplorerState } from './state';
import type { SmoothingMode } from '../../src/options';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// the decimation worker starts while the runs are fetched and parsed, not after
prewarm();

let state: ExplorerState = readState(location.hash);
const data = new Dataset();
const messages = new Messages($('loadErrors'), $('messages'));
let live: LiveConnection | null = null;
/** the metricgl server the page came from, when it is one */
let server: ServerConnection | null = null;
const board = new Board($('grid'), $('legend'), $('groupKey'), data, () => state, (patch) => set(patch, false), {
  drawn: () => status(),
  replayEnded: () => {
    $('replay').textContent = 'start';
    $('replayStatus').textContent = '';
  },
  error: (message) => server && serverStatus('lost', message),
  partial: (message) => server && serverStatus(message === null ? 'connected' : 'partial', message ?? ''),
});
panelToggles($('toggleSide') as HTMLButtonElement, $('toggleLegend') as HTMLButtonElement);

/** Change the state: the URL follows; `redraw` regroups or re-applies as the change needs. */
function set(patch: Partial<ExplorerState>, redraw = true): void {
  const before = state;
  state = { ...state, ...patch };
  history.replaceState(null, '', writeState(state));
  if (!redraw) return status(); // a chart's own change (zoom, legend click): the counts follow

  const regroup = ['metrics', 'chartBy', 'colorBy', 'strokeBy', 'filter'].some((k) => k in patch) && !sameGroups(before, state);
  // on a server the filter is evaluated there: the charts follow its answer
  const filterChanged = before.filter !== state.filter;
  if (server && filterChanged) refilter();
  // (a change of the filter alone waits for the server's answer)
  if (regroup && !(server && filterChanged && sameGroups({ ...before, filter: state.filter }, state))) board.rebuild();
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

/** What each window mode does, under its control (ema and time-weighted keep #modeHint). */
const windowHints: Partial<Record<SmoothingMode, string>> = {
  'running-average': 'the mean of the last `window` points (W&B): it lags by half a window.',
  centred: 'the mean of `window` points centred on each one (Aim), cut at the run ends: no lag; an odd window.',
  gaussian: 'points weighted by exp(-d²/2σ²) over their x distance d (W&B), cut where the weight falls below 1e-6: sparse and dense runs smooth alike.',
};

/** sigma is in the x axis' units */
const sigmaUnits: Record<ExplorerState['x'], string> = { step: 'steps', time: 'ms', wall: 'ms', epoch: 'epochs' };

/** A window the mode takes: centred needs an odd one (the next odd up). */
const windowFor = (mode: SmoothingMode, v: number) => (mode === 'centred' && v % 2 === 0 ? v + 1 : v);

/** Switch mode, giving a window mode its parameter when the state has none yet. */
function setSmoothingMode(mode: SmoothingMode): void {
  const s = { ...state.smoothing, mode };
  if (mode === 'running-average' || mode === 'centred') s.window = windowFor(mode, s.window ?? DEFAULT_WINDOW);
  if (mode === 'gaussian') s.sigma ??= DEFAULT_SIGMA;
  set({ smoothing: s });
}

function controls(): void {
  const fields = data.groupFields().filter((f) => f !== 'run' && f !== 'metric');
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
  // Aim's aggregate: the groups are the colour and stroke groups
  const agg = state.aggregate;
  $<HTMLSelectElement>('aggLine').value = agg ? agg.line : 'off';
  $('aggBandRow').hidden = $('aggRunsRow').hidden = $('aggHint').hidden = !agg;
  if (agg) $<HTMLSelectElement>('aggBand').value = agg.band;
  $<HTMLInputElement>('aggRuns').checked = agg?.runs === 'faint';
  if (document.activeElement !== $('filter')) $<HTMLInputElement>('filter').value = state.filter;
  checkFilter();
  live?.metricsShown(state.metrics);
  const sm = state.smoothing;
  $<HTMLInputElement>('weight').value = String(sm.weight);
  $('weightOut').textContent = sm.weight.toFixed(2);
  $<HTMLSelectElement>('mode').value = sm.mode;
  // each mode's own parameter: the weight slider, a window of points, or sigma in x units
  const windowed = sm.mode === 'running-average' || sm.mode === 'centred';
  $('weightRow').hidden = windowed || sm.mode === 'gaussian';
  $('windowRow').hidden = !windowed;
  $('sigmaRow').hidden = sm.mode !== 'gaussian';
  $('modeHint').hidden = windowed || sm.mode === 'gaussian';
  $('windowHint').hidden = !($('modeHint').hidden);
  $('windowHint').textContent = windowHints[sm.mode] ?? '';
  const win = $<HTMLInputElement>('window');
  win.step = sm.mode === 'centred' ? '2' : '1';
  if (document.activeElement !== win) win.value = String(sm.window ?? DEFAULT_WINDOW);
  if (document.activeElement !== $('sigma')) $<HTMLInputElement>('sigma').value = String(sm.sigma ?? DEFAULT_SIGMA);
  $('sigmaUnit').textContent = sigmaUnits[state.x];
  $<HTMLInputElement>('showRaw').checked = state.showRaw;
  // x axes the data has: step always, the others where some series carries them
  const xOptions = ['step', ...data.xColumns()] as ExplorerState['x'][];
  const xSel = $<HTMLSelectElement>('x');
  if ([...xSel.options].map((o) => o.value).join() !== xOptions.join()) xSel.replaceChildren(...xOptions.map((v) => new Option(xNames[v], v)));
  xSel.value = state.x;
  $<HTMLSelectElement>('yScale').value = state.yScale;
  $<HTMLInputElement>('outliers').checked = state.ignoreOutliers;
  const runs = [...data.series.values()].filter((d) => !d.remote && state.metrics.includes(d.metric)).sort((a, b) => b.step.length - a.step.length).slice(0, 50);
  options($('replayRun'), runs.map((d) => d.key), $<HTMLSelectElement>('replayRun').value || runs[0]?.key || null, false);
}

const pick = (id: string) => {
  const v = $<HTMLSelectElement>(id).value;
  return v === '–' ? null : v;
};
$('chartBy').onchange = () => set({ chartBy: pick('chartBy') });
$('colorBy').onchange = () => set({ colorBy: pick('colorBy') });
$('strokeBy').onchange = () => set({ strokeBy: pick('strokeBy') });
/** The aggregate the three controls say (band and runs keep their choice while it is off). */
function readAggregate(): ExplorerState['aggregate'] {
  const line = $<HTMLSelectElement>('aggLine').value;
  if (line === 'off') return null;
  return {
    line: line as 'mean' | 'median',
    band: $<HTMLSelectElement>('aggBand').value as 'none' | 'minmax' | 'std' | 'ci95',
    runs: $<HTMLInputElement>('aggRuns').checked ? 'faint' : 'hidden',
  };
}
$('aggLine').onchange = $('aggBand').onchange = $('aggRuns').onchange = () => set({ aggregate: readAggregate() });
/**
 * Check the filter box against the fields the runs have: the error when it is wrong (the charts
 * keep the last good filter), and the state takes it when it is right. Run again when data
 * arrives, so an error about a field that now exists does not stay.
 */
function checkFilter(): void {
  const src = $<HTMLInputElement>('filter').value;
  try {
    compileFilter(src, data.series.size ? data.fieldNames() : undefined);
    $('filterError').textContent = '';
    if (src !== state.filter) set({ filter: src });
  } catch (e) {
    $('filterError').textContent = (e as Error).message;
  }
}
$('filter').oninput = checkFilter;
$('weight').oninput = () => set({ smoothing: { ...state.smoothing, weight: +$<HTMLInputElement>('weight').value } });
$('mode').onchange = () => setSmoothingMode($<HTMLSelectElement>('mode').value as SmoothingMode);
$('window').oninput = () => {
  const v = Math.round(+$<HTMLInputElement>('window').value);
  if (!(v >= 1)) return; // empty or mid-edit: keep the last good window
  set({ smoothing: { ...state.smoothing, window: windowFor(state.smoothing.mode, v) } });
};
// the input shows what was taken (an even centred window goes up one) once editing ends
$('window').onchange = () => ($<HTMLInputElement>('window').value = String(state.smoothing.window ?? DEFAULT_WINDOW));
$('sigma').oninput = () => {
  const v = +$<HTMLInputElement>('sigma').value;
  if (v > 0 && Number.isFinite(v)) set({ smoothing: { ...state.smoothing, sigma: v } });
};
$('showRaw').onchange = () => set({ showRaw: $<HTMLInputElement>('showRaw').checked });
$('x').onchange = () => set({ x: $<HTMLSelectElement>('x').value as ExplorerState['x'], xDomain: null });
$('yScale').onchange = () => set({ yScale: $<HTMLSelectElement>('yScale').value as 'linear' | 'log' });
$('outliers').onchange = () => set({ ignoreOutliers: $<HTMLInputElement>('outliers').checked });
$('reset').onclick = () => set({ xDomain: null });
$('rate').oninput = () => ($('rateOut').textContent = $<HTMLInputElement>('rate').value);
$('replay').onclick = () => {
  if (board.replaying) return board.rebuild(); // stopping it says so (replayEnded)
  const key = $<HTMLSelectElement>('replayRun').value;
  board.replay(key, +$<HTMLInputElement>('rate').value);
  if (!board.replaying) return;
  $('replay').textContent = 'stop';
  $('replayStatus').textContent = `replaying ${key.split('\u0000')[0].slice(0, 8)}…`;
};

let firstView = '';
function status(): void {
  $('status').textContent = statusText(board, data.series.size) + firstView;
  if (server) serverStatus(server.state);
}

// --- on a metricgl server ------------------------------------------------------------------

let serverDetail = '';
/** The server line: where the points are, whether it answers, what it holds. */
function serverStatus(st: ServerState, detail?: string): void {
  if (!server) return;
  if (detail !== undefined) serverDetail = detail;
  const el = $('serverStatus');
  const { series, points, engine } = server.info;
  const where = location.host;
  el.dataset.state = st;
  el.textContent =
    st === 'lost'
      ? `server ${where}: connection lost, retrying…${serverDetail ? `\n${serverDetail}` : ''}`
      : st === 'partial'
        ? `server ${where} (${engine}): partial, retrying · ${serverDetail}`
        : `server ${where} (${engine}): ${st} · ${series.toLocaleString()} series, ${points.toLocaleString()} points there`;
}

let refilterSeq = 0;
/** The server's answer to the filter (parsed here first: checkFilter), then the charts. */
function refilter(): void {
  const mine = ++refilterSeq;
  const filter = state.filter;
  void server?.filter(filter).then((taken) => {
    if (!taken || mine !== refilterSeq || filter !== state.filter) return;
    board.rebuild();
    controls();
    status();
  });
}

async function startServer(info: SourceInfo): Promise<unknown> {
  server = connectServer(info, data, {
    state: (st, detail) => serverStatus(st, detail),
    changed: () => {
      controls();
      status();
    },
    filterError: (message) => {
      if (message) $('filterError').textContent = message;
    },
    kept: (keys) => (board.remoteKept = keys),
  });
  $('sourceNote').textContent = 'The series are on the server; files loaded here stay in this page.';
  serverStatus('connecting', '');
  // the bookmark's filter, if it parses (fields are checked once the list is here)
  let filter = state.filter;
  try {
    compileFilter(filter);
  } catch {
    filter = '';
  }
  await server.filter(filter);
  board.rebuild();
  controls();
  status();
  const frames = await Promise.all(board.charts.map((c) => c.rendered()));
  firstView = ` · first view in ${((performance.now() - t0) / 1000).toFixed(2)} s`;
  status();
  return frames;
}

// --- loading -------------------------------------------------------------------------------

async function load(files: File[], source: Source = 'file'): Promise<void> {
  const bar = $<HTMLProgressElement>('progress');
  bar.hidden = false;
  const { series, errors, warnings = [] } = await loadFiles(files, (done, total) => {
    bar.max = total;
    bar.value = done;
  });
  bar.hidden = true;
  // a bad file is reported by name; everything already loaded stays. The messages are about
  // this load: the last one's go.
  messages.clearAll(`${source}:`);
  errors.forEach((e, i) => messages.set(`${source}:error:${i}`, 'error', `${e.file}: ${e.message}`));
  warnings.forEach((w, i) => messages.set(`${source}:warning:${i}`, 'warning', `${w.file}: ${w.message}`));
  data.add(series, source);
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
  await load([new File([blob], 'modded-nanogpt-loss.csv')], 'demo');
}

// --- start ---------------------------------------------------------------------------------

const t0 = performance.now();
/**
 * A metricgl server's series when the page came from one; else the shipped logs unless the
 * server has a log folder of its own to show (see logdirInfo).
 */
const ready = probeServer()
  .then((found) => (found.server ? startServer(found.server) : startLocal(found.logdir)))
  .catch((e) => messages.set('demo:error', 'error', String(e)));

function startLocal(logdir: Response | null): Promise<unknown> {
  return logdirInfo(logdir).then(async (info) => {
    if (info.dir) {
      live = connectLive(info.dir, data, messages, {
        shownMetrics: () => state.metrics,
        status: (text) => ($('liveStatus').textContent = text),
        changed: () => controls(),
      });
    }
    if (!info.demoData) return;
    await loadDefault();
    const frames = await Promise.all(board.charts.map((c) => c.rendered()));
    firstView = ` · first view in ${((performance.now() - t0) / 1000).toFixed(2)} s`;
    status();
    return frames;
  });
}
controls();
status();

/** For the console and the tests. */
Object.assign(window, { explorer: { data, board, ready, messages, state: () => state, t0, server: () => server } });
