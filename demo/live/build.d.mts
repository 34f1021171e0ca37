type LogLevel = 'info' | 'warn' | 'error' | 'silent';

export const REPO_ROOT: string;
/** dist-demo/ in the repository, or METRICGL_DEMO_BUILD_DIR */
export const DEFAULT_BUILD_DIR: string;
/** paths (relative to the repository) whose contents the build depends on */
export const BUILD_INPUTS: string[];
export function sourcesHash(repoRoot?: string): Promise<string>;
export function buildStatus(outDir?: string): Promise<{ fresh: boolean; reason: string; hash: string }>;
export function buildExplorer(options?: { outDir?: string; hash?: string; logLevel?: LogLevel }): Promise<{ ms: number }>;
export function ensureExplorerBuilt(options?: {
  outDir?: string;
  force?: boolean;
  log?: (line: string) => void;
  logLevel?: LogLevel;
}): Promise<{ built: boolean; ms: number; reason: string }>;
