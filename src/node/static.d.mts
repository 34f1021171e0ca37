import type { IncomingMessage, ServerResponse } from 'node:http';

export const MIME_TYPES: Record<string, string>;
export function resolveUnder(root: string, urlPath: string): { file: string } | { status: number; message: string };
export function createStaticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
