import type { ServerResponse } from 'node:http';

export function requestPath(target: string | undefined): string | null;
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string | number>): void;
export function sendText(res: ServerResponse, status: number, message: string, headers?: Record<string, string | number>): void;
export function isAllowedHost(hostHeader: string | undefined, names: string[]): boolean;
export function openEventStream(req: import('node:http').IncomingMessage, res: ServerResponse, headers?: Record<string, string>): void;
