/** The applicant's data in published fields: shared with processing and result (`@onestop/contracts`). */
export { applicantFingerprints, foldAscii, foldText, holdsApplicantData } from '@onestop/contracts';
