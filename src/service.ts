/** Anything long-running (an adapter, the digest scheduler, the corpus watcher). */
export interface Service {
  /** Short name for logs ("slack", "discord", "digest"). */
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
