import { constructsFramework } from '../../test/audits/constructs-framework';
import { periodText } from '../frameworks/labels';
import { answerFindings } from '../remediation/triggers';
import { caseFacts } from './case-facts';
import type { CaseProfile } from './repository';
import {
  blockNotApplying,
  lowestPartBroken,
  missingInBlock,
  missingInSection,
  overallProgress,
  pruneResponse,
  sectionProgress,
  withCase,
  withoutCase,
  type AuditResponse,
} from './response';

const framework = constructsFramework();
const section = (id: string) => framework.sections.find((s) => s.id === id)!;
const inCare = { caseType: 'child-in-care', ageYears: 12 };

describe('sections and parts that do not apply', () => {
  test.each<[string, AuditResponse, string, string | undefined]>([
    ['a case condition that holds', withCase({}, inCare), 'care', undefined],
    [
      'a case condition that does not hold (age)',
      withCase({}, { ...inCare, ageYears: 9 }),
      'care',
      'condition',
    ],
    ['a case condition with no facts', {}, 'care', 'condition'],
    [
      'an answer condition not met',
      { sections: { practice: { answers: { police: 'no' } } } },
      'practice-b',
      'condition',
    ],
    [
      'an answer condition met',
      { sections: { practice: { answers: { police: 'yes' } } } },
      'practice-b',
      undefined,
    ],
    [
      'marked not applicable',
      { sections: { visits: { notApplicable: { reason: 'x' } } } },
      'visits',
      'marked',
    ],
    [
      'a block that may not be marked',
      { sections: { care: { notApplicable: { reason: 'x' } } } },
      'care',
      'condition',
    ],
  ])('%s', (_name, response, blockId, expected) => {
    expect(blockNotApplying(framework, response, blockId)).toBe(expected);
  });
});

describe('pruning', () => {
  test.each<[string, AuditResponse, AuditResponse]>([
    [
      'a block marked not applicable keeps only its reason',
      {
        sections: {
          visits: {
            notApplicable: { reason: 'No visits due' },
            grade: 'good',
            answers: { 'seen-alone': 'no' },
            evidence: { 'seen-alone': 'p3' },
          },
        },
      },
      { sections: { visits: { notApplicable: { reason: 'No visits due' } } } },
    ],
    [
      'a section that does not apply by condition loses everything',
      withCase(
        { sections: { care: { grade: 'good', answers: { plan: 'yes' } } } },
        { caseType: 'child-in-need' },
      ),
      withCase({}, { caseType: 'child-in-need' }),
    ],
    [
      'a part whose condition no longer holds loses its answers and grade',
      {
        sections: {
          practice: { answers: { police: 'no' } },
          'practice-b': { grade: 'good', answers: { strategy: 'yes' } },
        },
      },
      { sections: { practice: { answers: { police: 'no' } } } },
    ],
    [
      'blank evidence goes; evidence given stays',
      {
        sections: {
          'practice-a': { answers: { assessed: 'yes' }, evidence: { assessed: ' ' } },
          visits: { answers: { 'seen-alone': 'yes' }, evidence: { 'seen-alone': 'Case note 3' } },
        },
      },
      {
        sections: {
          'practice-a': { answers: { assessed: 'yes' } },
          visits: { answers: { 'seen-alone': 'yes' }, evidence: { 'seen-alone': 'Case note 3' } },
        },
      },
    ],
  ])('%s', (_name, response, expected) => {
    expect(pruneResponse(framework, response)).toEqual(expected);
  });

  it('strips the case facts from what is stored', () => {
    expect(withoutCase(withCase({ sections: {} }, inCare))).toEqual({ sections: {} });
  });
});

describe('what a block still needs', () => {
  test.each<[string, string, AuditResponse, string[]]>([
    [
      'required evidence once answered',
      'visits',
      { sections: { visits: { grade: 'good', answers: { 'seen-alone': 'no' } } } },
      ['evidence-seen-alone'],
    ],
    [
      'nothing once evidence is given',
      'visits',
      {
        sections: {
          visits: { grade: 'good', answers: { 'seen-alone': 'no' }, evidence: { 'seen-alone': 'p3' } },
        },
      },
      [],
    ],
    [
      'marked not applicable needs only its reason',
      'visits',
      { sections: { visits: { notApplicable: { reason: '' } } } },
      ['notApplicable'],
    ],
    [
      'marked with a reason needs nothing',
      'visits',
      { sections: { visits: { notApplicable: { reason: 'None' } } } },
      [],
    ],
    ['not applying by condition needs nothing', 'care', {}, []],
    [
      'an optional grade may be left out',
      'practice-b',
      {
        sections: { practice: { answers: { police: 'yes' } }, 'practice-b': { answers: { strategy: 'no' } } },
      },
      [],
    ],
    [
      'a required grade may not',
      'practice-a',
      { sections: { 'practice-a': { answers: { assessed: 'yes' } } } },
      ['grade'],
    ],
  ])('%s', (_name, blockId, response, expected) => {
    const block = framework.sections.flatMap((s) => [s, ...(s.parts ?? [])]).find((b) => b.id === blockId)!;
    expect(missingInBlock(framework, block, response)).toEqual(expected);
  });

  it('counts a section with parts complete only when its parts are', () => {
    const response: AuditResponse = {
      sections: { practice: { grade: 'good', answers: { police: 'no' } } },
    };
    expect(sectionProgress(framework, section('practice'), response)).toBe('in-progress');
    response.sections!['practice-a'] = { grade: 'good', answers: { assessed: 'yes' } };
    expect(sectionProgress(framework, section('practice'), response)).toBe('completed');
  });

  test.each<[string, string, string | undefined]>([
    ['better than its lowest part', 'good', 'requires-improvement'],
    ['as good as its lowest part', 'requires-improvement', undefined],
  ])('a section graded %s under the lowest-part rule', (_name, grade, broken) => {
    const response: AuditResponse = {
      sections: {
        practice: { grade, answers: { police: 'no' } },
        'practice-a': { grade: 'requires-improvement', answers: { assessed: 'yes' } },
      },
    };
    expect(lowestPartBroken(framework, section('practice'), response)).toBe(broken);
    expect(missingInSection(framework, section('practice'), response)).toEqual(broken ? ['grade'] : []);
  });

  test.each([
    ['optional', {}, 'completed'],
    ['required', {}, 'not-started'],
    ['none', { overall: { grade: 'good' } }, 'completed'],
  ] as const)('an overall grade that is %s', (grading, response, expected) => {
    const f = constructsFramework({ overall: { rule: 'auditor-judgement', grading } });
    expect(overallProgress(f, response)).toBe(expected);
  });
});

describe('answers that raise actions', () => {
  test.each<[string, unknown, number]>([
    ['the answer listed', 'no', 1],
    ['another answer', 'yes', 0],
    ['no answer', undefined, 0],
  ])('%s', (_name, answer, count) => {
    const findings = answerFindings(framework, {
      visits: answer === undefined ? {} : { answers: { 'seen-alone': answer } },
    });
    expect(findings).toHaveLength(count);
    if (count)
      expect(findings[0]).toMatchObject({
        on: 'answer',
        questionId: 'seen-alone',
        action: 'See the child alone within the next visit.',
        workingDays: 10,
      });
  });
});

describe('case facts and the period', () => {
  it('reads flags as yes / no and leaves out what the case list does not hold', () => {
    const profile = {
      caseRef: 'C1',
      caseType: 'child-in-care',
      ageYears: 12,
      disability: null,
      legalStatus: 'C2',
      categoryOfAbuse: null,
      placementType: null,
      uasc: true,
      missingEpisodes: 0,
    } as unknown as CaseProfile;
    expect(caseFacts(profile)).toEqual({
      caseType: 'child-in-care',
      ageYears: 12,
      legalStatus: 'C2',
      uasc: 'yes',
      missingEpisodes: 0,
    });
  });

  it('tells the auditor the look-back period and the effective date', () => {
    expect(periodText(framework)).toEqual([
      'Read the last 12 months of the record; judge the last 6 months.',
      'This version takes effect on 1 January 2027.',
    ]);
  });
});
