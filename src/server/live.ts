/**
 * `/api/live`: Server-Sent Events to the open pages, `event: grew` (LiveGrew) after an ingest
 * added points. Streams are bounded (each holds a socket); a comment line every 15 s keeps
 * proxies and idle timeouts from closing a quiet stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveGrew } from '../source/api';
import { openEventStream } from '../node/http.mjs';

const PING_MS = 15_000;
export const MAX_LIVE_CLIENTS = 64;

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly ping: NodeJS.Timeout;

  constructor(private readonly max = MAX_LIVE_CLIENTS) {
    this.ping = setInterval(() => this.send(': ping\n\n'), PING_MS);
    this.ping.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Open a stream on `res`; false when there are `max` already (the caller answers 503). */
  open(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): boolean {
    if (this.clients.size >= this.max) return false;
    openEventStream(req, res, headers);
    res.write('retry: 1000\nevent: hello\ndata: {}\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    return true;
  }

  grew(g: LiveGrew): void {
    if (g.series.length === 0 && g.added === 0) return;
    // JSON never holds a raw newline: one data line
    this.send(`event: grew\ndata: ${JSON.stringify(g)}\n\n`);
  }

  private send(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  close(): void {
    clearInterval(this.ping);
    for (const res of [...this.clients]) res.end();
    this.clients.clear();
  }
}
