import { DomainException } from '../errors';

export enum CalendarExceptionCode {
  InvalidWorkingHours = 'INVALID_WORKING_HOURS',
  InvalidCalendarData = 'INVALID_CALENDAR_DATA',
  YearNotCovered = 'YEAR_NOT_COVERED',
  NoWorkingDayFound = 'NO_WORKING_DAY_FOUND',
}

export class CalendarException extends DomainException<CalendarExceptionCode> {
  constructor(code: CalendarExceptionCode, message: string) {
    super(code, message);
  }
}
