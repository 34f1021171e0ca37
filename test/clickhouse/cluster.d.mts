export const CLUSTER: string;
export const TEST_USER: { name: string; password: string };
export interface ClusterShard {
  /** http://127.0.0.1:PORT */
  http: string;
  tcpPort: number;
  /** the shard's temporary folder (data, logs, config); removed by stop() */
  dir: string;
}
export interface Cluster {
  cluster: string;
  shards: ClusterShard[];
  /** kill shard i's server (its data stays) */
  shardDown(i: number): Promise<void>;
  /** start shard i's server again on its data; resolves once it answers */
  shardUp(i: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}
export function startCluster(opts?: { shards?: number; timeoutMs?: number }): Promise<Cluster>;
