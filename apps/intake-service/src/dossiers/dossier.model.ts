import type { ApplicantType, Channel, DossierStatus, TimeLimitUnit } from '@onestop/contracts';

export interface Applicant {
  type: ApplicantType;
  fullName: string;
  idNumber: string;
  phone: string;
  email?: string;
  address?: string;
  /** The online account was authenticated with VNeID (TaiKhoanDuocXacThucVoiVNeID). */
  vneidVerified?: boolean;
}

export interface ComponentInput {
  code: string;
  copies?: number;
  /** Scanned at intake (DuocSoHoa). */
  digitised?: boolean;
  /** Reused from previously digitised data (DuocTaiSuDung). */
  reused?: boolean;
  /** Taken from the citizen document repository (DuocLayTuKhoDMQG). */
  fromRepository?: boolean;
  fileRef?: string;
}

export interface DossierComponent {
  code: string;
  name: string;
  copies: number;
  digitised: boolean;
  reused: boolean;
  fromRepository: boolean;
  fileRef: string | null;
  recordedAt: string;
  recordedBy: string | null;
}

/** The dossier as the API returns it. */
export interface DossierView {
  id: string;
  code: string;
  unitCode: string;
  procedureCode: string;
  procedureVersion: string | null;
  channel: Channel;
  /** Current status: after the last event of processing/result when newer than intake's own, else intake's. */
  status: DossierStatus;
  /** The status intake itself set (submitted, received, rejected or withdrawn at intake). */
  intakeStatus: DossierStatus;
  /** When `status` was reached (the event time). */
  statusUpdatedAt: string | null;
  applicant: Applicant;
  externalRef: string | null;
  submittedAt: string | null;
  receivedAt: string | null;
  rejectedAt: string | null;
  rejectionReason: string | null;
  /** The appointment in force: the receipt's, then as processing/result moved it (supplement, pause, apology). */
  dueAt: string | null;
  /** The legal due date: the receipt's, then as a supplement or a pause moved it (an apology does not). */
  originalDueAt: string | null;
  /** The appointment printed on the receipt (Mẫu 01), which its reprint shows. */
  receiptDueAt: string | null;
  dueExplanation: string[] | null;
  timeLimit: { value: number; unit: TimeLimitUnit } | null;
  receivedBy: string | null;
  /** The receiving officer's name, as their token carried it; null: only the id is known. */
  receivedByName: string | null;
  /** How the citizen receives the result (HinhThucTra): at the counter (default), by post, or online. */
  resultDelivery: 'COUNTER' | 'POST' | 'ONLINE';
  imported: boolean;
  /** Imported dossier numbered here: its number in the legacy system it was imported from (ADR 0206); else null. */
  legacyCode: string | null;
  /** Imported pre-2025 dossier: the old receiving unit as the file named it (ADR 0206); else null. */
  legacyUnit: { agencyCode: string | null; communeCode: string | null } | null;
  version: number;
  components: DossierComponent[];
}

export interface HistoryEntry {
  eventId: string;
  /** Position among intake's own events; null for an event consumed from another service. */
  seq: number | null;
  type: string;
  occurredAt: string;
  /** The service that produced the event (`intake-service`, `processing-service`, `result-service`). */
  producer: string;
  actor: string | null;
  imported: boolean;
  payload: Record<string, unknown>;
}

/** Who acts: the officer from the JWT plus where the request came from (for the audit trail). */
export interface Actor {
  officerId: string;
  name?: string;
  unitId: string;
  roles: string[];
  ip?: string;
  correlationId?: string;
}
