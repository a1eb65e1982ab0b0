import { EventEmitter } from 'node:events';
import type { Producer } from 'kafkajs';
import { isWedgedProducerError, ReplaceableProducer, replaceOnWedged } from './replaceable-producer';

// kafkajs' own error classes, as the relay sees them after a broker restart
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { KafkaJSProtocolError, KafkaJSNonRetriableError } = require('kafkajs/src/errors');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createErrorFromCode } = require('kafkajs/src/protocol/error');

function fakeProducer(name: string) {
  const emitter = new EventEmitter();
  const sent: unknown[] = [];
  const p = {
    name,
    sent,
    events: { CONNECT: 'producer.connect', DISCONNECT: 'producer.disconnect' },
    on: (e: string, l: (...a: unknown[]) => void) => emitter.on(e, l),
    connect: jest.fn(async () => void emitter.emit('producer.connect')),
    disconnect: jest.fn(async () => void emitter.emit('producer.disconnect')),
    sendBatch: jest.fn(async (b: unknown) => void sent.push(b)),
  };
  return p;
}

describe('outbox relay producer replacement (round 4: a broker restart wedged the idempotent producer)', () => {
  it('should recognise the broker errors that wedge an idempotent producer, also when wrapped', () => {
    const outOfOrder = new KafkaJSProtocolError(createErrorFromCode(45));
    expect(outOfOrder.type).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(isWedgedProducerError(outOfOrder)).toBe(true);
    expect(isWedgedProducerError(new KafkaJSNonRetriableError(outOfOrder, { cause: outOfOrder }))).toBe(true);
    expect(isWedgedProducerError(new KafkaJSProtocolError(createErrorFromCode(59)))).toBe(true); // UNKNOWN_PRODUCER_ID
    expect(isWedgedProducerError(new KafkaJSProtocolError(createErrorFromCode(7)))).toBe(false); // REQUEST_TIMED_OUT
    expect(isWedgedProducerError(new Error('Connection error: connect ECONNREFUSED'))).toBe(false);
  });

  it('should send through a new producer after replace, moving the listeners and disconnecting the old one', async () => {
    const made: ReturnType<typeof fakeProducer>[] = [];
    const rp = new ReplaceableProducer(() => {
      const p = fakeProducer(`p${made.length + 1}`);
      made.push(p);
      return p as unknown as Producer;
    });
    const producer = rp.asProducer();
    const seen: string[] = [];
    producer.on(producer.events.CONNECT, () => seen.push('connect'));
    producer.on(producer.events.DISCONNECT, () => seen.push('disconnect'));
    await producer.connect();
    await producer.sendBatch({ topicMessages: [] });
    await rp.replace();
    expect(made).toHaveLength(2);
    expect(made[0]!.disconnect).toHaveBeenCalledTimes(1);
    await producer.connect();
    await producer.sendBatch({ topicMessages: [{ topic: 't', messages: [] }] });
    expect(made[0]!.sent).toHaveLength(1);
    expect(made[1]!.sent).toHaveLength(1);
    // the relay learns of the old producer's end and of the new one's connection through its listeners
    expect(seen).toEqual(['connect', 'disconnect', 'connect']);
  });

  it('should replace the producer once per wedge, however many sends fail meanwhile, and pass every error on', async () => {
    let release: () => void = () => undefined;
    const replace = jest.fn(() => new Promise<void>((r) => (release = r)));
    const seen: unknown[] = [];
    const started: number[] = [];
    const onError = replaceOnWedged({ replace }, (e) => seen.push(e), () => started.push(replace.mock.calls.length));
    const wedged = new KafkaJSProtocolError(createErrorFromCode(45));
    onError(wedged);
    onError(wedged);
    onError(new Error('connection refused'));
    expect(replace).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(3);
    release();
    await new Promise((r) => setImmediate(r));
    onError(wedged);
    expect(replace).toHaveBeenCalledTimes(2);
    expect(started).toEqual([0, 1]); // told before each replacement starts
  });
});
