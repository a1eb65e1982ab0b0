import { CreateResultSchema1795000000000 } from './1795000000000-CreateResultSchema';

/** Every migration of the result schema, in order. */
export const RESULT_MIGRATIONS = [CreateResultSchema1795000000000];
