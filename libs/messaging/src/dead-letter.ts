import type { IHeaders, Producer } from 'kafkajs';
import { DLQ_HEADERS as CONTRACT_DLQ_HEADERS, dlqTopicOf } from '@onestop/contracts';

/** Header names on dead-lettered messages: the contract's (docs/event-contract.md) plus the consumer group. */
export const DLQ_HEADERS = {
  reason: CONTRACT_DLQ_HEADERS.Reason,
  sourceTopic: CONTRACT_DLQ_HEADERS.SourceTopic,
  sourcePartition: CONTRACT_DLQ_HEADERS.SourcePartition,
  sourceOffset: CONTRACT_DLQ_HEADERS.SourceOffset,
  failedAt: CONTRACT_DLQ_HEADERS.FailedAt,
  consumerGroup: 'dlq-consumer-group',
} as const;

export const dlqTopicFor = (topic: string): string => dlqTopicOf(topic);

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
  reason: string;
}

/** Copies the original bytes to `<topic>.dlq` with the reason and origin in headers (acks=all). */
export async function sendToDeadLetter(producer: Producer, groupId: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  const byTopic = new Map<string, DeadLetter[]>();
  for (const l of letters) byTopic.set(l.topic, [...(byTopic.get(l.topic) ?? []), l]);
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, ls]) => ({
      topic: dlqTopicFor(topic),
      messages: ls.map((l) => ({
        key: l.key,
        value: l.value,
        headers: {
          ...(l.headers ?? {}),
          [DLQ_HEADERS.reason]: l.reason.slice(0, 2000),
          [DLQ_HEADERS.sourceTopic]: l.topic,
          [DLQ_HEADERS.sourcePartition]: String(l.partition),
          [DLQ_HEADERS.sourceOffset]: l.offset,
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
          [DLQ_HEADERS.consumerGroup]: groupId,
        },
      })),
    })),
  });
}
