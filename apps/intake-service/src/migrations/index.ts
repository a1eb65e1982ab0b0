import { CreateIntakeSchema1763938800000 } from './1763938800000-CreateIntakeSchema';
import { ImportJobScope1764300000000 } from './1764300000000-ImportJobScope';
import { DossierLegacyUnit1764400000000 } from './1764400000000-DossierLegacyUnit';
import { DossierLifecycle1764500000000 } from './1764500000000-DossierLifecycle';
import { DossierLifecycleDue1764600000000 } from './1764600000000-DossierLifecycleDue';
import { ResultDeliveryAndSigner1764700000000 } from './1764700000000-ResultDeliveryAndSigner';

/** Every migration of the intake schema, in order. */
export const INTAKE_MIGRATIONS = [CreateIntakeSchema1763938800000, ImportJobScope1764300000000, DossierLegacyUnit1764400000000, DossierLifecycle1764500000000, DossierLifecycleDue1764600000000, ResultDeliveryAndSigner1764700000000];
