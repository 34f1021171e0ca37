/**
 * The file name a POST /api/ingest body is read under: `?name=` (it names the run of rows that
 * have none, as a file's name does), with an extension from the Content-Type when it has none the
 * loaders know; without either, the loaders tell CSV from JSON Lines by the first line.
 */
import type { IncomingMessage } from 'node:http';
import { RequestError } from './requests';

const KNOWN = /\.(csv|tsv|jsonl|ndjson)$/i;

export function ingestName(req: IncomingMessage): string {
  const q = (req.url ?? '').indexOf('?');
  const param = q >= 0 ? new URLSearchParams((req.url ?? '').slice(q + 1)).get('name') : null;
  if (param !== null && (param.length === 0 || param.length > 200 || /[\u0000-\u001f/\\]/.test(param))) {
    throw new RequestError(400, 'ingest: "name" must be 1 to 200 characters, no slashes or control characters');
  }
  let name = param ?? 'posted';
  if (KNOWN.test(name)) return name;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') name += '.csv';
  else if (type === 'text/tab-separated-values') name += '.tsv';
  else if (/^application\/(x-)?(ndjson|jsonl|jsonlines|json-lines)$/.test(type)) name += '.jsonl';
  return name;
}
