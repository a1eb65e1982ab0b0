import fc from 'fast-check';
import {
  DOSSIER_STATUSES,
  DossierStatus,
  EVENT_TYPES_V1,
  NATIONAL_STATUS_CODE,
  Rating,
} from '@onestop/contracts';
import { DossierStateMachine } from './dossier-state.machine';
import {
  DOSSIER_ACTIONS,
  type DossierAction,
  type DossierCommand,
  type DossierLifecycleState,
} from './dossier-lifecycle.type';
import {
  ALL_STATUSES_OR_NEW,
  DOSSIER_TRANSITIONS,
  type DossierStatusOrNew,
  TERMINAL_STATUSES,
  allowedActions,
  clockStateOf,
  eventNameOf,
  isTerminalStatus,
  nationalStatusCodeOf,
} from './dossier-transitions.constant';
import {
  InvalidTransitionException,
  InvalidTransitionExceptionCode,
} from './invalid-transition.exception';

const S = DossierStatus;
const machine = new DossierStateMachine();

/** A valid command of each action type (payload filled in). */
function commandFor(action: DossierAction, agency = 'G09.20'): DossierCommand {
  switch (action) {
    case 'transfer':
    case 'startInterAgencyStep':
    case 'completeInterAgencyStep':
      return { type: action, agencyCode: agency };
    case 'rate':
      return { type: action, rating: Rating.Satisfied };
    case 'digitiseComponent':
    case 'reuseData':
      return { type: action, componentCode: 'TK_KHAI_SINH' };
    default:
      return { type: action } as DossierCommand;
  }
}

/** Shortest command path from "no dossier" to each status (a factory for the table tests). */
const PATH_TO: Record<DossierStatus, DossierAction[]> = {
  SUBMITTED: ['submit'],
  RECEIVED: ['submit', 'receive'],
  INTAKE_REJECTED: ['submit', 'rejectAtIntake'],
  IN_PROCESS: ['receive', 'transfer'],
  SUPPLEMENT_REQUESTED: ['receive', 'requestSupplement'],
  AWAITING_PAYMENT: ['receive', 'transfer', 'requestPayment'],
  SUSPENDED: ['receive', 'transfer', 'suspend'],
  REFUSED: ['receive', 'refuse'],
  WITHDRAWN: ['submit', 'withdraw'],
  RESOLVED: ['receive', 'transfer', 'resolve'],
  RETURNED: ['receive', 'transfer', 'resolve', 'returnResult'],
};

function stateIn(status: DossierStatusOrNew): DossierLifecycleState | null {
  return status === null
    ? null
    : (machine.replay(PATH_TO[status].map((a) => commandFor(a))) as DossierLifecycleState);
}

/** The expected table, written out independently of DOSSIER_TRANSITIONS (domain.md §1.3 + ADR 0100). */
const EXPECTED_ALLOWED: Record<string, DossierAction[]> = {
  NEW: ['submit', 'receive'],
  SUBMITTED: ['receive', 'rejectAtIntake', 'withdraw'],
  RECEIVED: [
    'transfer',
    'startInterAgencyStep',
    'requestSupplement',
    'refuse',
    'withdraw',
    'digitiseComponent',
    'reuseData',
  ],
  INTAKE_REJECTED: [],
  IN_PROCESS: [
    'transfer',
    'startInterAgencyStep',
    'completeInterAgencyStep',
    'requestSupplement',
    'requestPayment',
    'suspend',
    'issueApology',
    'refuse',
    'withdraw',
    'resolve',
    'digitiseComponent',
    'reuseData',
  ],
  SUPPLEMENT_REQUESTED: [
    'receiveSupplement',
    'refuse',
    'withdraw',
    'digitiseComponent',
    'reuseData',
  ],
  AWAITING_PAYMENT: ['completePayment', 'withdraw', 'digitiseComponent', 'reuseData'],
  SUSPENDED: ['resume', 'refuse', 'withdraw', 'digitiseComponent', 'reuseData'],
  REFUSED: [],
  WITHDRAWN: [],
  RESOLVED: ['returnResult', 'rate', 'digitiseComponent', 'reuseData'],
  RETURNED: ['rate'],
};

describe(DossierStateMachine.name, () => {
  describe('transition table', () => {
    it.each(ALL_STATUSES_OR_NEW.map((s) => [s ?? 'NEW', s] as const))(
      'should allow exactly the expected actions when the status is %s',
      (label, status) => {
        // Act
        const actions = allowedActions(status);
        // Assert
        expect(actions).toEqual(EXPECTED_ALLOWED[label]);
      },
    );

    const cases = ALL_STATUSES_OR_NEW.flatMap((status) =>
      DOSSIER_ACTIONS.map((action) => [status ?? 'NEW', action, status] as const),
    );
    it.each(cases)(
      'should apply or refuse %s × %s according to the table',
      (label, action, status) => {
        // Arrange
        const state = stateIn(status);
        const command = commandFor(action);
        const allowed = EXPECTED_ALLOWED[label].includes(action);
        // A completeInterAgencyStep needs an open step: open one first when the status allows it.
        const prepared =
          action === 'completeInterAgencyStep' && status === S.InProcess
            ? machine.transition(state, commandFor('startInterAgencyStep'))
            : state;
        // Act
        const act = () => machine.transition(prepared, command);
        // Assert
        if (allowed) {
          const next = act();
          const rule = DOSSIER_TRANSITIONS[action];
          expect(next.status).toBe(rule.to === 'same' ? status : rule.to);
        } else {
          expect(act).toThrow(InvalidTransitionException);
          expect(act).toThrow(
            expect.objectContaining({
              code: InvalidTransitionExceptionCode.ActionNotAllowed,
              allowedActions: EXPECTED_ALLOWED[label],
            }),
          );
        }
      },
    );

    it('should name the allowed actions in the message and in a field when a transition is refused', () => {
      // Arrange
      const received = stateIn(S.Received);
      // Act
      let error: unknown;
      try {
        machine.transition(received, { type: 'resolve' });
      } catch (e) {
        error = e;
      }
      // Assert
      expect(error).toBeInstanceOf(InvalidTransitionException);
      const e = error as InvalidTransitionException;
      expect(e.from).toBe(S.Received);
      expect(e.action).toBe('resolve');
      expect(e.allowedActions).toEqual(EXPECTED_ALLOWED.RECEIVED);
      expect(e.message).toBe(
        'Cannot resolve a dossier in status RECEIVED. Allowed actions: transfer, startInterAgencyStep, requestSupplement, refuse, withdraw, digitiseComponent, reuseData',
      );
    });

    it('should say "none (terminal status)" when nothing is allowed', () => {
      expect(() => machine.transition(stateIn(S.Withdrawn), { type: 'resume' })).toThrow(
        'Allowed actions: none (terminal status)',
      );
    });

    it('should accept only a rating after RETURNED and nothing after the other terminal statuses', () => {
      for (const status of TERMINAL_STATUSES) {
        expect(isTerminalStatus(status)).toBe(true);
        expect(allowedActions(status)).toEqual(status === S.Returned ? ['rate'] : []);
      }
    });

    it('should map every status to its national status code', () => {
      for (const status of DOSSIER_STATUSES)
        expect(nationalStatusCodeOf(status)).toBe(NATIONAL_STATUS_CODE[status]);
      expect(nationalStatusCodeOf(S.Suspended)).toBe(8);
      expect(nationalStatusCodeOf(S.Refused)).toBe(8);
      expect(clockStateOf(S.Suspended)).toBe('PAUSED');
      expect(clockStateOf(S.Refused)).toBe('STOPPED');
    });

    it('should name an event of the V1 contract for every action', () => {
      expect(EVENT_TYPES_V1).toEqual(expect.arrayContaining(DOSSIER_ACTIONS.map(eventNameOf)));
      expect(eventNameOf('receive')).toBe('DossierReceived');
    });
  });

  describe('guards', () => {
    it('should record every supplementation request when there is no cap (default)', () => {
      // Arrange
      let state = stateIn(S.SupplementRequested);
      // Act
      state = machine.transition(state, { type: 'receiveSupplement' });
      state = machine.transition(state, { type: 'requestSupplement' });
      // Assert
      expect(state.supplementRequestCount).toBe(2);
      expect(machine.exceedsOneTimeSupplementNorm(state)).toBe(true);
    });

    it('should throw SUPPLEMENT_LIMIT_REACHED when the policy caps requests at one', () => {
      // Arrange
      const strict = new DossierStateMachine({ maxSupplementRequests: 1 });
      const state = strict.replay([
        { type: 'receive' },
        { type: 'requestSupplement' },
        { type: 'receiveSupplement' },
      ]);
      // Act
      const act = () => strict.transition(state, { type: 'requestSupplement' });
      // Assert
      expect(act).toThrow(
        expect.objectContaining({ code: InvalidTransitionExceptionCode.SupplementLimitReached }),
      );
      expect(strict.can(state, { type: 'requestSupplement' })).toBe(false);
    });

    it('should refuse to resolve while an inter-agency step is open and allow it once completed', () => {
      // Arrange
      const open = machine.replay([
        { type: 'receive' },
        { type: 'startInterAgencyStep', agencyCode: 'H56.10' },
      ]);
      // Act / Assert
      expect(() => machine.transition(open, { type: 'resolve' })).toThrow(
        expect.objectContaining({ code: InvalidTransitionExceptionCode.InterAgencyStepsPending }),
      );
      expect(() =>
        machine.transition(open, { type: 'startInterAgencyStep', agencyCode: 'H56.10' }),
      ).toThrow(
        expect.objectContaining({
          code: InvalidTransitionExceptionCode.InterAgencyStepAlreadyOpen,
        }),
      );
      expect(() =>
        machine.transition(open, { type: 'completeInterAgencyStep', agencyCode: 'H56.99' }),
      ).toThrow(
        expect.objectContaining({ code: InvalidTransitionExceptionCode.InterAgencyStepNotOpen }),
      );
      const done = machine.transition(open, {
        type: 'completeInterAgencyStep',
        agencyCode: 'H56.10',
      });
      expect(machine.transition(done, { type: 'resolve' }).status).toBe(S.Resolved);
      expect(done.completedInterAgencySteps).toBe(1);
    });

    it('should keep IN_PROCESS and count the apology when an apology is issued', () => {
      const state = machine.transition(stateIn(S.InProcess), { type: 'issueApology' });
      expect(state.status).toBe(S.InProcess);
      expect(state.apologyCount).toBe(1);
    });

    it('should accept one rating only', () => {
      const rated = machine.transition(stateIn(S.Returned), {
        type: 'rate',
        rating: Rating.VerySatisfied,
      });
      expect(rated.rating).toBe(Rating.VerySatisfied);
      expect(() =>
        machine.transition(rated, { type: 'rate', rating: Rating.Dissatisfied }),
      ).toThrow(expect.objectContaining({ code: InvalidTransitionExceptionCode.AlreadyRated }));
    });

    it('should throw MISSING_FIELD when a payload is blank or a rating unknown', () => {
      expect(() =>
        machine.transition(stateIn(S.Received), { type: 'transfer', agencyCode: ' ' }),
      ).toThrow(expect.objectContaining({ code: InvalidTransitionExceptionCode.MissingField }));
      expect(() =>
        machine.transition(stateIn(S.Resolved), { type: 'rate', rating: 'MEH' as Rating }),
      ).toThrow(expect.objectContaining({ code: InvalidTransitionExceptionCode.MissingField }));
    });

    it('should count a digitised component once when it is digitised twice', () => {
      const once = machine.transition(stateIn(S.Received), {
        type: 'digitiseComponent',
        componentCode: 'GIAY_CHUNG_SINH',
      });
      const twice = machine.transition(once, {
        type: 'digitiseComponent',
        componentCode: 'GIAY_CHUNG_SINH',
      });
      expect(twice.digitisedComponents).toEqual(['GIAY_CHUNG_SINH']);
    });

    it('should throw UNKNOWN_ACTION when the command type is not an action', () => {
      expect(() =>
        machine.transition(null, { type: 'explode' } as unknown as DossierCommand),
      ).toThrow(expect.objectContaining({ code: InvalidTransitionExceptionCode.UnknownAction }));
    });

    it('should reject a negative supplement cap when constructed', () => {
      expect(() => new DossierStateMachine({ maxSupplementRequests: -1 })).toThrow(RangeError);
    });
  });

  describe('properties', () => {
    const commandArb: fc.Arbitrary<DossierCommand> = fc
      .tuple(fc.constantFrom(...DOSSIER_ACTIONS), fc.constantFrom('A1', 'A2'))
      .map(([action, agency]) => commandFor(action, agency));

    it('should never leave the state machine in an undefined state whatever the command sequence', () => {
      fc.assert(
        fc.property(
          fc.array(commandArb, { maxLength: 40 }),
          fc.constantFrom<number | null>(null, 1, 2),
          (commands, cap) => {
            const sm = new DossierStateMachine({ maxSupplementRequests: cap });
            let state: DossierLifecycleState | null = null;
            for (const command of commands) {
              const before = state;
              try {
                state = sm.transition(state, command);
              } catch (error) {
                expect(error).toBeInstanceOf(InvalidTransitionException);
                expect(state).toBe(before);
                continue;
              }
              const s = state;
              expect(DOSSIER_STATUSES).toContain(s.status);
              expect(allowedActions(before?.status ?? null)).toContain(command.type);
              expect(Array.isArray(allowedActions(s.status))).toBe(true);
              if (cap !== null) expect(s.supplementRequestCount).toBeLessThanOrEqual(cap);
              if (isTerminalStatus(s.status) || s.status === S.Resolved)
                expect(s.openInterAgencySteps).toEqual([]);
              if (before !== null && isTerminalStatus(before.status)) {
                expect(command.type).toBe('rate');
                expect(s.status).toBe(before.status);
              }
            }
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
