import { CreateProcessingSchema1795000000000 } from './1795000000000-CreateProcessingSchema';

/** Every migration of the processing schema, in order. */
export const PROCESSING_MIGRATIONS = [CreateProcessingSchema1795000000000];
