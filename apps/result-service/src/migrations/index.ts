import { CreateResultSchema1795000000000 } from './1795000000000-CreateResultSchema';
import { InterAgencySteps1795000000001 } from './1795000000001-InterAgencySteps';
import { FeeLineSettlement1795000000002 } from './1795000000002-FeeLineSettlement';
import { ApplicantMarks1795000000003 } from './1795000000003-ApplicantMarks';

/** Every migration of the result schema, in order. */
export const RESULT_MIGRATIONS = [CreateResultSchema1795000000000, InterAgencySteps1795000000001, FeeLineSettlement1795000000002, ApplicantMarks1795000000003];
