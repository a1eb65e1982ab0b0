import type { Consumer } from 'kafkajs';

/** The last time kafkajs reported its consumer crashed. */
export interface ConsumerCrash {
  at: string;
  error: string;
  /** Whether kafkajs restarted it by itself; false = it gave up and the supervisor replaced it. */
  restart: boolean;
}

export interface SupervisedConsumerOptions {
  /** A fresh kafkajs consumer (the caller attaches its own listeners): called at start and for every replacement. */
  create: () => Consumer;
  /** Connects, subscribes and runs the consumer (kafkajs `connect`, `subscribe`, `run`). */
  run: (consumer: Consumer) => Promise<void>;
  /** Called before a replacement starts: the caller drops work in flight on the consumer that gave up. */
  onReplace?: () => void;
  log: (entry: Record<string, unknown>) => void;
  /** First delay before a replacement (ms, default 1 s); doubled up to `maxDelayMs` (30 s) while they keep failing. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * A kafkajs consumer that never stays dead (ADR 0004). kafkajs restarts its consumer after a retriable failure,
 * but after a non-retriable one (`restart: false` on its CRASH event) it stops for good: e.g. a join refused
 * because another member of the group speaks another protocol (an operator's `kafka-console-consumer --group
 * <ours>`), or an authorisation error. The process would go on answering from counters that no longer move. Here
 * the consumer that gave up is disconnected and replaced by a new one, with a growing delay, until it joins again
 * or `stop()` is called; the new member seeks to the offsets the caller keeps (nothing is skipped or applied twice:
 * the callers are idempotent by event id).
 */
export class SupervisedConsumer {
  private current?: Consumer;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private replacing?: Promise<void>;
  private failures = 0;
  /** How many times a consumer that gave up was replaced. */
  restarts = 0;
  lastCrash: ConsumerCrash | null = null;

  constructor(private readonly o: SupervisedConsumerOptions) {}

  /** The kafkajs consumer in charge now (replaced after a give-up). */
  get consumer(): Consumer | undefined {
    return this.current;
  }

  /** Starts the first consumer; its connection errors are the caller's (a service that cannot start says so). */
  async start(): Promise<void> {
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.replacing;
    await this.current?.disconnect();
  }

  private async launch(): Promise<void> {
    const c = this.o.create();
    this.current = c;
    c.on(c.events.CRASH, (e) => {
      this.lastCrash = { at: new Date().toISOString(), error: String(e.payload.error), restart: e.payload.restart };
      if (!e.payload.restart && c === this.current) this.schedule(e.payload.error);
    });
    c.on(c.events.GROUP_JOIN, () => {
      if (c === this.current) this.failures = 0;
    });
    await this.o.run(c);
  }

  private schedule(cause: unknown): void {
    if (this.stopped || this.timer) return;
    const delay = Math.min(this.o.maxDelayMs ?? 30_000, (this.o.initialDelayMs ?? 1000) * 2 ** Math.min(this.failures, 16));
    this.failures++;
    this.o.log({ level: 'error', msg: 'kafka consumer gave up; replacing it', inMs: delay, err: String(cause), replacements: this.restarts });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.replacing = this.replace().finally(() => (this.replacing = undefined));
    }, delay);
  }

  private async replace(): Promise<void> {
    await this.current?.disconnect().catch(() => undefined);
    if (this.stopped) return;
    this.restarts++;
    this.o.onReplace?.();
    try {
      await this.launch();
      this.o.log({ level: 'warn', msg: 'kafka consumer replaced', replacements: this.restarts });
    } catch (err) {
      this.schedule(err); // the broker is still away: try again later
    }
  }
}
