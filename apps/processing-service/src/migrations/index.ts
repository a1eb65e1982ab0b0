import { CreateProcessingSchema1795000000000 } from './1795000000000-CreateProcessingSchema';
import { ApplicantMarks1795000000001 } from './1795000000001-ApplicantMarks';

/** Every migration of the processing schema, in order. */
export const PROCESSING_MIGRATIONS = [CreateProcessingSchema1795000000000, ApplicantMarks1795000000001];
