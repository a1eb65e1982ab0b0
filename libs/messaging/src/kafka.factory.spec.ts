import { logLevel } from 'kafkajs';
import { gatedConsoleLogCreator, type LogGate } from './kafka.factory';

describe(gatedConsoleLogCreator.name, () => {
  it("should write kafkajs's JSON lines while the gate is open and nothing once it is closed", () => {
    const gate: LogGate = { open: true };
    const log = gatedConsoleLogCreator(gate)(logLevel.ERROR);
    const error = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const entry = { namespace: 'Connection', label: 'ERROR', log: { timestamp: '2026-11-25T08:00:00.000Z', logger: 'kafkajs', message: 'Connection error', broker: '127.0.0.1:1' } };
      log({ ...entry, level: logLevel.ERROR });
      log({ ...entry, level: logLevel.INFO, label: 'INFO' });
      expect(JSON.parse(error.mock.calls[0]![0] as string)).toEqual({ level: 'ERROR', timestamp: '2026-11-25T08:00:00.000Z', logger: 'kafkajs', message: '[Connection] Connection error', broker: '127.0.0.1:1' });
      expect(out).toHaveBeenCalledTimes(1);
      // a service that has shut down: the retries of a request still in flight are not logged
      gate.open = false;
      log({ ...entry, level: logLevel.ERROR });
      expect(error).toHaveBeenCalledTimes(1);
    } finally {
      error.mockRestore();
      out.mockRestore();
    }
  });
});
