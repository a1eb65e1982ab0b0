import { randomUUID } from 'node:crypto';
import { parseEvent } from './parse-event.util';
import { toVnIsoString } from './timestamp.util';
import type { IsoDateTime } from './event-envelope.event';
import type { EventOfTypeV1, EventTypeV1, PayloadOfV1 } from './v1/event-catalog.util';

/** Envelope metadata for `createEvent`; `id` and `occurredAt` default to a random UUID and now. */
export interface EventMeta {
  readonly producer: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly id?: string;
  /** An ISO string is kept as given; a Date is written in Vietnam time (+07:00). */
  readonly occurredAt?: IsoDateTime | Date;
  readonly imported?: boolean;
}

export interface CreateEventOptions {
  /** Validate the result with `parseEvent` (default true): producers never publish an invalid event. */
  readonly validate?: boolean;
  /** Clock for the default `occurredAt` (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Builds a v1 envelope: `key` = `payload.dossierId`, `version` = 1, `id` from `crypto.randomUUID()` unless given.
 * @throws EventValidationException when `validate` is on and the event breaks the contract.
 */
export function createEvent<T extends EventTypeV1>(
  type: T,
  payload: PayloadOfV1<T>,
  meta: EventMeta,
  options: CreateEventOptions = {},
): EventOfTypeV1<T> {
  const occurredAt =
    meta.occurredAt === undefined
      ? toVnIsoString((options.now ?? Date.now)())
      : typeof meta.occurredAt === 'string'
        ? meta.occurredAt
        : toVnIsoString(meta.occurredAt);
  const event = {
    id: meta.id ?? randomUUID(),
    type,
    version: 1 as const,
    occurredAt,
    producer: meta.producer,
    correlationId: meta.correlationId,
    ...(meta.causationId === undefined ? {} : { causationId: meta.causationId }),
    key: payload.dossierId,
    ...(meta.imported === undefined ? {} : { imported: meta.imported }),
    payload,
  } as unknown as EventOfTypeV1<T>;
  if (options.validate ?? true) parseEvent(event);
  return event;
}
