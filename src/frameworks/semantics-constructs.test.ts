import { constructsFramework } from '../../test/support/constructs';
import { checkFramework } from './load';

const problemsOf = (change: (d: any) => void) => {
  const document = constructsFramework();
  change(document);
  const result = checkFramework(document);
  return result.ok ? [] : result.problems;
};

describe('checks of the newer constructs', () => {
  it('accept the framework using them all', () => {
    expect(problemsOf(() => undefined)).toEqual([]);
  });

  it.each<[string, (d: any) => void, string, RegExp]>([
    [
      'a section depending on a later question',
      (d) => (d.sections[1].relevantWhen = { question: 'early-q', equals: 'x' }),
      '/sections/1/relevantWhen/question',
      /not asked before this block/,
    ],
    [
      'a condition naming an answer the question does not take',
      (d) => (d.sections[1].relevantWhen = { question: 'police', equals: 'na' }),
      '/sections/1/relevantWhen/equals',
      /not an answer of "police"/,
    ],
    [
      'a nested condition on an unknown question',
      (d) => (d.sections[2].relevantWhen.all[0] = { question: 'nope', equals: 'yes' }),
      '/sections/2/relevantWhen/all/0/question',
      /not a question in this framework/,
    ],
    [
      'a bound on a fact that is not a number',
      (d) => (d.sections[2].relevantWhen.all[1] = { case: 'caseType', atLeast: 3 }),
      '/sections/2/relevantWhen/all/1/atLeast',
      /only for ageYears and missingEpisodes/,
    ],
    [
      'a case type that does not exist',
      (d) => (d.sections[2].relevantWhen.all[1] = { case: 'caseType', equals: 'adults' }),
      '/sections/2/relevantWhen/all/1/equals',
      /not a value of caseType/,
    ],
    [
      'a part id used twice',
      (d) => (d.sections[3].parts[1].id = 'police-work'),
      '/sections/3/parts/1/id',
      /police-work/,
    ],
    [
      'a raised action on an answer the question does not take',
      (d) => (d.sections[1].questions[0].raisesAction.answers = ['maybe']),
      '/sections/1/questions/0/raisesAction/answers/0',
      /maybe/,
    ],
    [
      'an evidence prompt without evidence',
      (d) => (d.sections[0].questions[0].evidencePrompt = 'Where?'),
      '/sections/0/questions/0/evidencePrompt',
      /evidence/,
    ],
    [
      'a grade prompt on a block with no grade',
      (d) => (d.sections[0].gradePrompt = 'How good?'),
      '/sections/0/gradePrompt',
      /grad/,
    ],
    [
      'the lowest-part rule on a section without a grade',
      (d) => (d.sections[3].grading = 'none'),
      '/sections/3/partsRule',
      /grade/,
    ],
    [
      'a judging period longer than the record read',
      (d) => (d.lookBack = { recordMonths: 6, judgeMonths: 12 }),
      '/lookBack/judgeMonths',
      /recordMonths/,
    ],
    [
      'an effective date that does not exist',
      (d) => (d.effectiveFrom = '2027-02-30'),
      '/effectiveFrom',
      /date/,
    ],
    [
      'an overall rule missing while graded',
      (d) => delete d.overall.rule,
      '/overall/rule',
      /required unless grading is none/,
    ],
  ])('refuse %s', (_, change, pointer, message) => {
    const problems = problemsOf(change);
    expect(problems).toContainEqual({ pointer, message: expect.stringMatching(message) });
  });
});
