import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fullFormats } from 'ajv-formats/dist/formats';
import { contractDateTime } from './date-time-format.util';
import { EventValidationException, EventValidationExceptionCode } from './event-validation.exception';
import { parseEvent } from './parse-event.util';

const reference = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;

/** Every string one edit (replace, delete or insert one character of `alphabet`) away from `base`. */
function oneEditAway(base: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let at = 0; at <= base.length; at++) {
    for (const c of alphabet) {
      if (at < base.length) out.push(base.slice(0, at) + c + base.slice(at + 1));
      out.push(base.slice(0, at) + c + base.slice(at));
    }
    if (at < base.length) out.push(base.slice(0, at) + base.slice(at + 1));
  }
  return out;
}

describe('contractDateTime (the contract date-time format)', () => {
  const cases = [
    '2025-11-23T09:30:00+07:00',
    '2025-11-23T09:30:00.000+07:00',
    '2025-11-23T09:30:00.123456789+07:00',
    '2025-11-23T02:30:00Z',
    '2024-02-29T00:00:00+07:00',
    '2025-02-29T00:00:00+07:00',
    '2000-02-29T00:00:00+07:00',
    '1900-02-29T00:00:00+07:00',
    '2025-04-31T00:00:00+07:00',
    '2025-12-31T23:59:59-12:00',
    '2025-00-10T10:00:00+07:00',
    '2025-13-10T10:00:00+07:00',
    '2025-11-00T10:00:00+07:00',
    '2025-11-23T24:00:00+07:00',
    '2025-11-23T23:60:00+07:00',
    '2025-11-23T23:59:60Z',
    '2025-11-23T06:59:60+07:00',
    '2025-11-23T09:59:60+07:00',
    '2025-11-23T09:30:00+24:00',
    '2025-11-23T09:30:00+07:60',
    '2025-11-23T09:30:00+0700',
    '2025-11-23T09:30:00',
    '2025-11-23t09:30:00+07:00',
    '2025-11-23 09:30:00+07:00',
    '2025-11-23T09:30:00.+07:00',
    '2025-11-23T09:30:00.5z',
    '2025-11-23T09:30:00+07:00 ',
    '2025-11-23T09:30:00+07:0',
    '2025-11-23T9:30:00+07:00',
    '20251-11-23T09:30:00+07:00',
    '2025-1a-23T09:30:00+07:00',
    '2025-11-23T09:30:0a+07:00',
    '２０２５-11-23T09:30:00+07:00',
    '',
    'T',
  ];

  it.each(cases)('answers %j as ajv-formats does', (value) => {
    expect(contractDateTime(value)).toBe(reference(value));
  });

  it('answers like ajv-formats on every timestamp one or two edits away from the forms events carry', () => {
    const alphabet = '0123456789-:+TZtz. ';
    const bases = ['2024-02-29T23:59:59.999+07:00', '2025-12-31T23:59:59Z', '2000-02-28T06:59:59+07:00'];
    const values = new Set<string>();
    for (const base of bases) {
      for (const once of oneEditAway(base, alphabet)) {
        values.add(once);
        // a second edit at a few fixed places (the separators and the offset), not all of them: ~60k values
        if (once.length > 20) for (const twice of oneEditAway(once.slice(0, 20), '0169:-T')) values.add(twice + once.slice(20));
      }
    }
    let accepted = 0;
    const differs: string[] = [];
    for (const value of values) {
      const expected = reference(value);
      if (expected) accepted++;
      if (contractDateTime(value) !== expected) differs.push(value);
    }
    expect(differs).toEqual([]);
    // the edits reach both answers
    expect(accepted).toBeGreaterThan(1000);
    expect(values.size - accepted).toBeGreaterThan(1000);
  });

  it('is the format the event parser applies: 31 February is refused at its path, 29 February 2024 accepted', () => {
    const fixture = (): Record<string, unknown> =>
      JSON.parse(readFileSync(join(__dirname, '../../fixtures/v1/DossierReceived.json'), 'utf8')) as Record<string, unknown>;
    const leapDay = { ...fixture(), occurredAt: '2024-02-29T10:00:00+07:00' };
    expect(parseEvent(leapDay).occurredAt).toBe('2024-02-29T10:00:00+07:00');
    let failure: EventValidationException | undefined;
    try {
      parseEvent({ ...fixture(), occurredAt: '2025-02-31T10:00:00+07:00' });
    } catch (error) {
      failure = error as EventValidationException;
    }
    expect(failure).toBeInstanceOf(EventValidationException);
    expect(failure?.code).toBe(EventValidationExceptionCode.SchemaViolation);
    expect(failure?.path).toBe('$.occurredAt');
  });
});
