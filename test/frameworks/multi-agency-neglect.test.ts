import { readFileSync } from 'node:fs';
import path from 'node:path';
import { blocksOf, questionsInOrder } from '../../src/frameworks/blocks';
import { conditionHolds, type AnswerValue, type CaseFacts } from '../../src/frameworks/conditions';
import { checkFrameworkJson } from '../../src/frameworks/load';
import { ResponseSchemas } from '../../src/frameworks/response-validator';
import type { Framework, Question, Section } from '../../src/frameworks/types';
import { FRAMEWORKS_DIR } from '../../src/paths';

const FILE = 'multi-agency-neglect-thematic.json';
const text = readFileSync(path.join(FRAMEWORKS_DIR, FILE), 'utf8');
const loaded = checkFrameworkJson(text);
// The loaded framework; the file as it is if it does not load (the first test then lists why).
const framework = loaded.ok ? loaded.framework : (JSON.parse(text) as Framework);

const section = (id: string): Section => framework.sections.find((s) => s.id === id) as Section;
const question = (id: string): Question => questionsInOrder(framework).find((q) => q.id === id) as Question;

describe('the multi-agency neglect thematic audit', () => {
  it('loads without problems, as version 1.0.0 for councils in England and Wales', () => {
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    expect(framework).toMatchObject({
      id: 'multi-agency-neglect-thematic',
      version: '1.0.0',
      jurisdiction: 'england-and-wales',
      caseTypes: ['child-in-need', 'child-protection', 'child-in-care'],
      defaultScale: 'partnership-practice',
      lookBack: { recordMonths: 12, judgeMonths: 6 },
      effectiveFrom: '2026-11-02',
      overall: { rule: 'capped-by-sections', cappedBy: ['help-and-protection'] },
    });
  });

  it('splits help and protection into three parts, the section no better than its lowest part', () => {
    expect(section('help-and-protection')).toMatchObject({ partsRule: 'lowest-part' });
    expect(section('help-and-protection').parts?.map((p) => p.id)).toEqual([
      'early-identification',
      'assessment',
      'plan-and-review',
    ]);
    expect(blocksOf(framework).find((b) => b.block.id === 'early-identification')?.grading).toBe('optional');
  });

  it.each([
    ['police-contribution', { question: 'prof-police-involved', equals: 'yes' }],
    ['health-contribution', { question: 'prof-health-involved', equals: 'yes' }],
    [
      'education-contribution',
      {
        all: [
          { question: 'prof-education-involved', equals: 'yes' },
          { case: 'ageYears', atLeast: 5 },
        ],
      },
    ],
  ])('asks %s only when that agency was involved', (id, condition) => {
    expect(section(id).relevantWhen).toEqual(condition);
  });

  it('lets the auditor mark only the health section not applicable', () => {
    expect(framework.sections.filter((s) => s.allowNotApplicable).map((s) => s.id)).toEqual([
      'health-contribution',
    ]);
  });

  it.each([
    'prof-police-involved',
    'prof-health-involved',
    'prof-education-involved',
    'as-tool-used',
    'pr-drift',
  ])('asks %s as yes or no, without "not applicable"', (id) => expect(question(id).type).toBe('yes-no'));

  it('asks for evidence beside the key answers, required for some', () => {
    const evidence = questionsInOrder(framework).filter((q) => q.evidence);
    expect(evidence.every((q) => q.type === 'yes-no' || q.type === 'yes-no-na')).toBe(true);
    expect(new Set(evidence.map((q) => q.evidence))).toEqual(new Set(['optional', 'required']));
    expect(question('as-chronology')).toMatchObject({
      evidence: 'required',
      evidencePrompt: expect.any(String),
    });
  });

  it.each([
    ['as-tool-used', ['no'], 'Graded Care Profile 2', 20],
    ['as-chronology', ['no'], 'multi-agency chronology', 15],
    ['pr-drift', ['yes'], 'management review', 10],
  ])('opens an action when %s is answered %j', (id, answers, action, workingDays) => {
    expect(question(id).raisesAction).toEqual({
      answers,
      action: expect.stringContaining(action),
      difference: expect.any(String),
      workingDays,
    });
  });

  it('asks about early years settings only for a child under five', () => {
    expect(question('wt-early-years').relevantWhen).toEqual({ case: 'ageYears', atMost: 4 });
  });

  it('words its own grade and rationale prompts for every graded block and the overall grade', () => {
    const graded = blocksOf(framework).filter((b) => b.grading !== 'none');
    expect(graded.length).toBeGreaterThanOrEqual(8);
    for (const { block } of graded) {
      expect([block.id, block.gradePrompt, block.rationalePrompt]).toEqual([
        block.id,
        expect.stringMatching(/\?$/),
        expect.stringMatching(/^Why this grade\?/),
      ]);
    }
    expect(framework.overall.gradePrompt).toMatch(/\?$/);
  });
});

/** A complete submission: every block that applies graded "good", every relevant question answered. */
function completeResponse(choices: Record<string, string>, facts: CaseFacts) {
  const answers = new Map<string, AnswerValue>();
  const answerOf = (id: string) => answers.get(id);
  const sections: Record<string, Record<string, unknown>> = {};
  for (const { block, grading } of blocksOf(framework)) {
    if (block.relevantWhen && !conditionHolds(block.relevantWhen, answerOf, facts)) continue;
    const entry: Record<string, unknown> = {};
    const evidence: Record<string, string> = {};
    const given: Record<string, AnswerValue> = {};
    for (const q of block.questions) {
      if (q.relevantWhen && !conditionHolds(q.relevantWhen, answerOf, facts)) continue;
      const answer = choices[q.id] ?? answerFor(q);
      answers.set(q.id, answer);
      given[q.id] = answer;
      if (q.evidence) evidence[q.id] = 'Seen in the assessment of 3 October 2026.';
    }
    entry.answers = given;
    if (Object.keys(evidence).length > 0) entry.evidence = evidence;
    if (grading !== 'none') Object.assign(entry, { grade: 'good', rationale: 'The record shows it.' });
    sections[block.id] = entry;
  }
  return {
    sections,
    overall: { grade: 'good', rationale: 'Agencies worked together and the child’s care is improving.' },
    safeguardingConcern: { raised: false },
  };
}

function answerFor(q: Question): AnswerValue {
  if (q.type === 'yes-no' || q.type === 'yes-no-na') return 'yes';
  if (q.type === 'single-choice') return q.options?.[0]?.value as string;
  if (q.type === 'multiple-choice') return [q.options?.[0]?.value as string];
  if (q.type === 'number') return 0;
  return 'Described in the record.';
}

describe('its submission schema', () => {
  const schemas = new ResponseSchemas();
  const submit = (response: object, facts: CaseFacts) =>
    schemas.check(framework, 'submit', { ...response, case: facts });
  const fields = (check: ReturnType<typeof submit>) => (check.ok ? [] : check.errors.map((e) => e.field));
  const schoolAge: CaseFacts = { caseType: 'child-protection', ageYears: 9 };
  const noPolice = completeResponse({ 'prof-police-involved': 'no' }, schoolAge);

  it('accepts a complete response where the police section does not apply', () => {
    expect(noPolice.sections).not.toHaveProperty(['police-contribution']);
    expect(noPolice.sections).toHaveProperty(['education-contribution']);
    expect(submit(noPolice, schoolAge)).toEqual({ ok: true });
  });

  it('refuses one that answers the police section all the same', () => {
    const withPolice = completeResponse({}, schoolAge);
    const answered = {
      ...noPolice,
      sections: { ...noPolice.sections, 'police-contribution': withPolice.sections['police-contribution'] },
    };
    expect(
      fields(submit(answered, schoolAge)).some((f) => f.startsWith('/sections/police-contribution')),
    ).toBe(true);
  });

  it('needs the police section when the police were involved', () => {
    const involved = { ...noPolice, sections: { ...noPolice.sections } };
    involved.sections['case-profile'] = {
      answers: { ...(noPolice.sections['case-profile']?.answers as object), 'prof-police-involved': 'yes' },
    };
    expect(submit(involved, schoolAge).ok).toBe(false);
  });

  it('refuses the school section for a child under five, however the education question is answered', () => {
    const underFive: CaseFacts = { caseType: 'child-in-need', ageYears: 3 };
    const response = completeResponse({ 'prof-police-involved': 'no' }, underFive);
    expect(response.sections).not.toHaveProperty(['education-contribution']);
    expect(response.sections['working-together']?.answers).toHaveProperty(['wt-early-years']);
    expect(submit(response, underFive)).toEqual({ ok: true });
    const withSchool = {
      ...response,
      sections: {
        ...response.sections,
        'education-contribution': noPolice.sections['education-contribution'],
      },
    };
    expect(submit(withSchool, underFive).ok).toBe(false);
  });

  it('accepts the health section marked not applicable with a reason, and refuses a blank reason', () => {
    const marked = (reason: string) => ({
      ...noPolice,
      sections: { ...noPolice.sections, 'health-contribution': { notApplicable: { reason } } },
    });
    expect(submit(marked('The GP practice did not take part in this audit.'), schoolAge)).toEqual({
      ok: true,
    });
    expect(submit(marked('  '), schoolAge).ok).toBe(false);
  });

  it('refuses a required evidence box left empty', () => {
    const missing = structuredClone(noPolice);
    delete (missing.sections.assessment?.evidence as Record<string, string>)['as-chronology'];
    expect(fields(submit(missing, schoolAge)).some((f) => f.includes('as-chronology'))).toBe(true);
  });
});
