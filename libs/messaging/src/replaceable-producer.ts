import type { Producer } from 'kafkajs';

/**
 * Broker answers that wedge an idempotent kafkajs producer for good: after a broker restart its sequence numbers
 * or producer id no longer match the broker's, and every later send fails the same way (seen in intake: the
 * broker stopped while dossiers were accepted, restarted, and the outbox backlog never drained again). Every
 * outbox relay (intake's, and `startOutboxRelay` of processing and result) replaces its producer on these.
 * Only a new producer (a new producer id, sequences from 0) gets out of it.
 */
const WEDGED = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

/** True when `err` (or an error it wraps) says the idempotent producer's state is out of step with the broker. */
export function isWedgedProducerError(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 5) return false;
  const e = err as { type?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.type === 'string' && WEDGED.has(e.type)) return true;
  const nested = [e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((x) => isWedgedProducerError(x, depth + 1));
}

type Listener = Parameters<Producer['on']>[1];

/**
 * The producer the relay holds: it forwards to the current kafkajs producer, and `replace` swaps in a new one (the
 * listeners the relay registered move with it; the old one is disconnected, which tells the relay to connect again).
 * Re-sending what the old producer may have written is at-least-once on the wire, as after any crash (ADR 0201):
 * consumers drop the copies by event id.
 */
export class ReplaceableProducer {
  private current: Producer;
  private readonly listeners: [Parameters<Producer['on']>[0], Listener][] = [];

  constructor(private readonly create: () => Producer) {
    this.current = create();
  }

  /** The façade typed as the producer the relay expects (it uses events, on, connect, disconnect, sendBatch). */
  asProducer(): Producer {
    return {
      events: this.current.events, // the same event names for every kafkajs producer
      on: (event: Parameters<Producer['on']>[0], listener: Listener) => {
        this.listeners.push([event, listener]);
        return this.current.on(event, listener);
      },
      connect: () => this.current.connect(),
      disconnect: () => this.current.disconnect(),
      sendBatch: (batch: Parameters<Producer['sendBatch']>[0]) => this.current.sendBatch(batch),
      send: (record: Parameters<Producer['send']>[0]) => this.current.send(record),
    } as unknown as Producer;
  }

  async replace(): Promise<void> {
    const old = this.current;
    this.current = this.create();
    for (const [event, listener] of this.listeners) this.current.on(event, listener);
    await old.disconnect().catch(() => undefined);
  }
}

/**
 * An outbox relay's `onError` that replaces the producer when the broker no longer accepts it (one replacement at a
 * time, however many sends fail meanwhile), then hands every error on to `next`.
 */
export function replaceOnWedged(
  producers: Pick<ReplaceableProducer, 'replace'>,
  next?: (err: unknown) => void,
  /** Called when a replacement starts (e.g. to log it). */
  onReplace?: () => void,
): (err: unknown) => void {
  let replacing: Promise<void> | undefined;
  return (err) => {
    if (isWedgedProducerError(err) && replacing === undefined) {
      onReplace?.();
      replacing = producers.replace().finally(() => {
        replacing = undefined;
      });
    }
    next?.(err);
  };
}
