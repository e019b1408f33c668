import type { GradeCount } from '../../src/reporting/repository';

/** A count of overall grades of one team and case type, as the repository reads them, with what differs. */
export const gradeCount = (over: Partial<GradeCount>): GradeCount => ({
  teamId: 1,
  caseType: 'child-in-need',
  frameworkId: 'f',
  frameworkVersion: '1.0.0',
  sectionId: 'overall',
  grade: 'good',
  auditorGrade: null,
  moderatorGrade: null,
  moderated: false,
  count: 1,
  ...over,
});
