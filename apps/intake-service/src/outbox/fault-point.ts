/**
 * Test-only fault injection: when FAULT_POINT names this point, the process SIGKILLs itself there (no
 * cleanup, no flush), as a crash would. Used by the outbox crash tests; a no-op when FAULT_POINT is unset.
 */
export const FaultPoint = {
  /** Kafka acknowledged the relay's batch, the outbox rows are not yet marked published. */
  AfterSendBeforeMark: 'afterSendBeforeMark',
} as const;
export type FaultPoint = (typeof FaultPoint)[keyof typeof FaultPoint];

export function maybeCrash(configured: string | undefined, point: FaultPoint): void {
  if (configured === point) process.kill(process.pid, 'SIGKILL');
}
