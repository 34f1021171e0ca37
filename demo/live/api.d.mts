import type { IncomingMessage, ServerResponse } from 'node:http';

export const DEFAULT_MAX_CLIENTS: number;

export interface LiveApiOptions {
  /** absolute path; null or absent: GET /api/logdir answers { dir: null }, /api/live is 404 */
  logdir?: string | null;
  /** with a logdir: whether the explorer also loads the demo data (default false); without: always true */
  demoData?: boolean;
  /** follow symbolic links that lead outside logdir (default false) */
  followLinks?: boolean;
  /** false: polling only */
  fsWatch?: boolean;
  /** open /api/live streams at most (default 64); one more gets 503 */
  maxClients?: number;
  /** skipped links and read errors; default console.warn */
  warn?: (message: string) => void;
}

export interface LiveApi {
  readonly logdir: string | null;
  readonly demoData: boolean;
  /** answers GET/HEAD /api/logdir and /api/live; false (nothing sent) for any other path */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** ends every open stream */
  closeAll(): void;
  /** open /api/live streams */
  clients(): number;
}

export function createLiveApi(options?: LiveApiOptions): LiveApi;
