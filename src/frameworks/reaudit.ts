import type { Framework } from './types';

/** Working days after a remediation record closes that its re-audit is due, when the framework says no other. */
export const DEFAULT_REAUDIT_WORKING_DAYS = 40;

/**
 * When a closed remediation record's re-audit is due, in working days after closing, or undefined when the
 * framework wants none (`remediation.reaudit: false`) or opens no records. The default is applied here,
 * not when the framework is normalised, so stored versions keep their content and hash.
 */
export function reauditWorkingDays(framework: Pick<Framework, 'remediation'>): number | undefined {
  const reaudit = framework.remediation?.reaudit ?? true;
  if (!framework.remediation || reaudit === false) return undefined;
  return reaudit === true ? DEFAULT_REAUDIT_WORKING_DAYS : reaudit.afterWorkingDays;
}
