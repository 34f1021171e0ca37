export function clickhouseServerCommand(): string[] | null;
export function clickhouseServerPath(): string | null;
