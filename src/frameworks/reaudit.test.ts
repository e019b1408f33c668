import { sampleFramework } from '../../test/support/frameworks';
import { checkFramework } from './load';
import { DEFAULT_REAUDIT_WORKING_DAYS, reauditWorkingDays } from './reaudit';
import type { Framework, Reaudit, Remediation } from './types';

const triggers: NonNullable<Framework['remediation']>['triggers'] = [
  { on: 'overall', grades: ['inadequate'], responseWorkingDays: 5, completionWorkingDays: 20 },
];

describe('re-audit after a record closes', () => {
  it.each<[string, Pick<Framework, 'remediation'>, number | undefined]>([
    ['left out: the default', { remediation: { triggers } }, DEFAULT_REAUDIT_WORKING_DAYS],
    ['true: the default', { remediation: { triggers, reaudit: true } }, DEFAULT_REAUDIT_WORKING_DAYS],
    ['false: none', { remediation: { triggers, reaudit: false } }, undefined],
    ['its own working days', { remediation: { triggers, reaudit: { afterWorkingDays: 60 } } }, 60],
    ['no remediation at all: none', {}, undefined],
  ])('%s', (_case, framework, days) => {
    expect(reauditWorkingDays(framework)).toBe(days);
  });

  it('is not written into the stored framework when left out, so its content and hash stay as they were', () => {
    const without = checkFramework(sampleFramework());
    expect(without.ok && without.framework.remediation).toEqual(sampleFramework().remediation);
    const document = sampleFramework();
    const given: Reaudit = { afterWorkingDays: 60 };
    document.remediation = { ...(document.remediation as Remediation), reaudit: given };
    const withIt = checkFramework(document);
    expect(withIt.ok && withIt.framework.remediation?.reaudit).toEqual(given);
  });
});
