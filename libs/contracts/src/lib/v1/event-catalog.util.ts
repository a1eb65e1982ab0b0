import { DossierSubmittedV1, type PublicDossierSubmittedV1 } from './dossier-submitted.event';
import { DossierReceivedV1, type PublicDossierReceivedV1 } from './dossier-received.event';
import {
  DossierIntakeRejectedV1,
  type PublicDossierIntakeRejectedV1,
} from './dossier-intake-rejected.event';
import { DossierTransferredV1, type PublicDossierTransferredV1 } from './dossier-transferred.event';
import {
  InterAgencyStepStartedV1,
  type PublicInterAgencyStepStartedV1,
} from './inter-agency-step-started.event';
import {
  InterAgencyStepCompletedV1,
  type PublicInterAgencyStepCompletedV1,
} from './inter-agency-step-completed.event';
import {
  SupplementRequestedV1,
  type PublicSupplementRequestedV1,
} from './supplement-requested.event';
import { SupplementReceivedV1, type PublicSupplementReceivedV1 } from './supplement-received.event';
import {
  FinancialObligationRequestedV1,
  type PublicFinancialObligationRequestedV1,
} from './financial-obligation-requested.event';
import { PaymentCompletedV1, type PublicPaymentCompletedV1 } from './payment-completed.event';
import {
  ProcessingSuspendedV1,
  type PublicProcessingSuspendedV1,
} from './processing-suspended.event';
import { ProcessingResumedV1, type PublicProcessingResumedV1 } from './processing-resumed.event';
import { ApologyIssuedV1, type PublicApologyIssuedV1 } from './apology-issued.event';
import { DossierRefusedV1, type PublicDossierRefusedV1 } from './dossier-refused.event';
import { DossierWithdrawnV1, type PublicDossierWithdrawnV1 } from './dossier-withdrawn.event';
import { DossierResolvedV1, type PublicDossierResolvedV1 } from './dossier-resolved.event';
import { ResultReturnedV1, type PublicResultReturnedV1 } from './result-returned.event';
import { DossierRatedV1, type PublicDossierRatedV1 } from './dossier-rated.event';
import { ComponentDigitisedV1, type PublicComponentDigitisedV1 } from './component-digitised.event';
import { DataReusedV1, type PublicDataReusedV1 } from './data-reused.event';
import { DossierDueSoonV1, type PublicDossierDueSoonV1 } from './dossier-due-soon.event';
import { DossierOverdueV1, type PublicDossierOverdueV1 } from './dossier-overdue.event';
import type { EventDefinitionV1 } from '../event-envelope.event';

/** Every v1 event (internal topic form, personal fields included): a union discriminated by `type`. */
export type DossierEventV1 =
  | DossierSubmittedV1
  | DossierReceivedV1
  | DossierIntakeRejectedV1
  | DossierTransferredV1
  | InterAgencyStepStartedV1
  | InterAgencyStepCompletedV1
  | SupplementRequestedV1
  | SupplementReceivedV1
  | FinancialObligationRequestedV1
  | PaymentCompletedV1
  | ProcessingSuspendedV1
  | ProcessingResumedV1
  | ApologyIssuedV1
  | DossierRefusedV1
  | DossierWithdrawnV1
  | DossierResolvedV1
  | ResultReturnedV1
  | DossierRatedV1
  | ComponentDigitisedV1
  | DataReusedV1
  | DossierDueSoonV1
  | DossierOverdueV1;

/** Every v1 event as carried on the public topic: personal fields removed. */
export type PublicDossierEventV1 =
  | PublicDossierSubmittedV1
  | PublicDossierReceivedV1
  | PublicDossierIntakeRejectedV1
  | PublicDossierTransferredV1
  | PublicInterAgencyStepStartedV1
  | PublicInterAgencyStepCompletedV1
  | PublicSupplementRequestedV1
  | PublicSupplementReceivedV1
  | PublicFinancialObligationRequestedV1
  | PublicPaymentCompletedV1
  | PublicProcessingSuspendedV1
  | PublicProcessingResumedV1
  | PublicApologyIssuedV1
  | PublicDossierRefusedV1
  | PublicDossierWithdrawnV1
  | PublicDossierResolvedV1
  | PublicResultReturnedV1
  | PublicDossierRatedV1
  | PublicComponentDigitisedV1
  | PublicDataReusedV1
  | PublicDossierDueSoonV1
  | PublicDossierOverdueV1;

export type EventTypeV1 = DossierEventV1['type'];
export type EventOfTypeV1<T extends EventTypeV1> = Extract<DossierEventV1, { readonly type: T }>;
export type PublicEventOfTypeV1<T extends EventTypeV1> = Extract<
  PublicDossierEventV1,
  { readonly type: T }
>;
export type PayloadOfV1<T extends EventTypeV1> = EventOfTypeV1<T>['payload'];
export type PublicPayloadOfV1<T extends EventTypeV1> = PublicEventOfTypeV1<T>['payload'];

/** The definition (schema, classification, docs) of every v1 event type, in lifecycle order. */
export const EVENT_DEFINITIONS_V1 = {
  DossierSubmitted: DossierSubmittedV1,
  DossierReceived: DossierReceivedV1,
  DossierIntakeRejected: DossierIntakeRejectedV1,
  DossierTransferred: DossierTransferredV1,
  InterAgencyStepStarted: InterAgencyStepStartedV1,
  InterAgencyStepCompleted: InterAgencyStepCompletedV1,
  SupplementRequested: SupplementRequestedV1,
  SupplementReceived: SupplementReceivedV1,
  FinancialObligationRequested: FinancialObligationRequestedV1,
  PaymentCompleted: PaymentCompletedV1,
  ProcessingSuspended: ProcessingSuspendedV1,
  ProcessingResumed: ProcessingResumedV1,
  ApologyIssued: ApologyIssuedV1,
  DossierRefused: DossierRefusedV1,
  DossierWithdrawn: DossierWithdrawnV1,
  DossierResolved: DossierResolvedV1,
  ResultReturned: ResultReturnedV1,
  DossierRated: DossierRatedV1,
  ComponentDigitised: ComponentDigitisedV1,
  DataReused: DataReusedV1,
  DossierDueSoon: DossierDueSoonV1,
  DossierOverdue: DossierOverdueV1,
} as const satisfies {
  readonly [T in EventTypeV1]: EventDefinitionV1<T, PayloadOfV1<T>, PublicPayloadOfV1<T>>;
};

export type AnyEventDefinitionV1 = (typeof EVENT_DEFINITIONS_V1)[EventTypeV1];

/** All v1 event types, in lifecycle order. */
export const EVENT_TYPES_V1: readonly EventTypeV1[] = Object.keys(
  EVENT_DEFINITIONS_V1,
) as EventTypeV1[];

const EVENT_TYPE_SET_V1: ReadonlySet<string> = new Set(EVENT_TYPES_V1);

export function isEventTypeV1(type: unknown): type is EventTypeV1 {
  return typeof type === 'string' && EVENT_TYPE_SET_V1.has(type);
}

/** The definition of a v1 event type. */
export function eventDefinitionV1<T extends EventTypeV1>(
  type: T,
): (typeof EVENT_DEFINITIONS_V1)[T] {
  return EVENT_DEFINITIONS_V1[type];
}
