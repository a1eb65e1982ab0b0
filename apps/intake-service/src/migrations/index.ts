import { CreateIntakeSchema1763938800000 } from './1763938800000-CreateIntakeSchema';

/** Every migration of the intake schema, in order. */
export const INTAKE_MIGRATIONS = [CreateIntakeSchema1763938800000];
