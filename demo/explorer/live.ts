/**
 * The live folder (`npm run demo -- --logdir DIR`): what the server says about it, and the stream
 * of its files' new bytes (Server-Sent Events on /api/live). Each file has its own incremental
 * parser and its own share of the points: a file sent again from the start (truncated, replaced,
 * or a reconnection) takes back only the points it gave, not those other files gave the same run.
 * A bad line is a warning naming the file and line; the lines around it are drawn.
 */
import { createIncrementalParser } from '../../src/loaders/client';
import type { Messages } from './messages';
import type { Dataset, SeriesData } from './model';

export interface LogdirInfo {
  /** the folder, null without --logdir */
  dir: string | null;
  /** whether the shipped logs load beside it */
  demoData: boolean;
}

/**
 * What the server says of its log folder (`answer`: its answer to GET /api/logdir, already asked). A server without /api (the plain Vite server) or an
 * older one that answers something else: no folder, and the shipped logs, as before.
 */
export async function logdirInfo(answer?: Response | null): Promise<LogdirInfo> {
  try {
    const res = answer ?? (await fetch('/api/logdir', { headers: { accept: 'application/json' } }));
    if (!res.ok || !/json/.test(res.headers.get('content-type') ?? '')) return { dir: null, demoData: true };
    const info = (await res.json()) as Partial<LogdirInfo>;
    return { dir: info.dir ?? null, demoData: info.demoData ?? true };
  } catch {
    return { dir: null, demoData: true };
  }
}

/** How many warnings of one file are listed; the rest are counted. */
const SHOWN_WARNINGS = 5;

export interface LiveHooks {
  /** the metrics on screen now, to say where points that land elsewhere went */
  shownMetrics(): readonly string[];
  /** the status of the stream changed (connected, lost) */
  status(text: string): void;
  /** points arrived */
  changed(): void;
}

export interface LiveConnection {
  close(): void;
  /** metrics came on screen: their "points went to metric …" notes are done */
  metricsShown(metrics: readonly string[]): void;
}

export function connectLive(dir: string, data: Dataset, messages: Messages, hooks: LiveHooks): LiveConnection {
  const parsers = new Map<string, ReturnType<typeof createIncrementalParser>>();
  /** points that arrived in a metric not on screen, per metric, since it was last on screen */
  const elsewhere = new Map<string, number>();
  const source = new EventSource('/api/live');

  const forget = (file: string) => {
    parsers.delete(file);
    data.removeOrigin(file);
    messages.clearAll(`live:${file}\u0000`);
  };
  // every (re)connection starts with the files' whole content again
  source.addEventListener('start', () => {
    for (const file of new Set([...parsers.keys(), ...data.origins()])) forget(file);
    elsewhere.clear();
    messages.clearAll('metric:');
    hooks.status(`watching ${dir}`);
  });
  source.onerror = () => hooks.status(`live folder ${dir}: connection lost, retrying…`);
  source.onmessage = (e) => {
    const m = JSON.parse(e.data) as { file: string; kind: 'csv' | 'jsonl' | 'tfevents'; reset?: boolean; text?: string; base64?: string };
    if (m.reset || !parsers.has(m.file)) {
      forget(m.file);
      parsers.set(m.file, createIncrementalParser(m.file, m.kind));
    }
    const parser = parsers.get(m.file)!;
    const chunk = m.text ?? Uint8Array.from(atob(m.base64 ?? ''), (c) => c.charCodeAt(0));
    let fresh: SeriesData[] = [];
    try {
      fresh = parser.push(chunk);
      messages.clear(`live:${m.file}\u0000error`);
    } catch (err) {
      // the file's parser cannot go on (a broken record framing): said until the file is reset
      messages.set(`live:${m.file}\u0000error`, 'error', (err as Error).message);
    }
    const warnings = parser.warnings ?? [];
    if (warnings.length) {
      const more = warnings.length > SHOWN_WARNINGS ? `\n… and ${warnings.length - SHOWN_WARNINGS} more warnings in ${m.file}` : '';
      messages.set(`live:${m.file}\u0000warnings`, 'warning', warnings.slice(0, SHOWN_WARNINGS).join('\n') + more);
    }
    if (fresh.length) {
      data.add(fresh, 'live', m.file);
      const shown = hooks.shownMetrics();
      for (const f of fresh) {
        if (shown.includes(f.metric)) continue;
        const n = (elsewhere.get(f.metric) ?? 0) + f.step.length;
        elsewhere.set(f.metric, n);
        messages.set(`metric:${f.metric}`, 'info', `${n.toLocaleString()} new point${n === 1 ? '' : 's'} in metric '${f.metric}' (not on screen: tick it under Metrics)`);
      }
    }
    hooks.status(`watching ${dir}`);
    hooks.changed();
  };
  return {
    close: () => source.close(),
    metricsShown(metrics) {
      for (const metric of metrics) {
        elsewhere.delete(metric);
        messages.clear(`metric:${metric}`);
      }
    },
  };
}
