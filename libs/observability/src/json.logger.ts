import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';

/** Request-scoped context (correlation id, actor) carried through async calls. */
export interface LogContext {
  correlationId?: string;
  [key: string]: unknown;
}
export const logContext = new AsyncLocalStorage<LogContext>();

export function currentCorrelationId(): string | undefined {
  return logContext.getStore()?.correlationId;
}

type Level = 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'fatal';
const ORDER: Record<Level, number> = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4, verbose: 5 };

/**
 * Structured JSON logs, one line per entry, with the service name and the correlation id of the current
 * request or message. Implements Nest's LoggerService so Nest's own logs come out the same way.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly level: Level = (process.env['LOG_LEVEL'] as Level | undefined) ?? 'info',
    private readonly out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  ) {}

  private write(level: Level, message: unknown, context?: string, extra?: Record<string, unknown>): void {
    if (ORDER[level] > ORDER[this.level]) return;
    const ctx = logContext.getStore();
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      ...(context ? { context } : {}),
      ...(ctx?.correlationId ? { correlationId: ctx.correlationId } : {}),
      ...(typeof message === 'object' && message !== null && !(message instanceof Error)
        ? (message as Record<string, unknown>)
        : { msg: message instanceof Error ? message.message : String(message) }),
      ...(extra ?? {}),
    };
    if (message instanceof Error && message.stack) entry['stack'] = message.stack;
    this.out(JSON.stringify(entry));
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    const extra = context ? { stack: stackOrContext } : undefined;
    this.write('error', message, context ?? stackOrContext, extra);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('verbose', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }
}
