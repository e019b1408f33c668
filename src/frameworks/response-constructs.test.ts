import { checkFramework } from './load';
import { ResponseSchemas } from './response-validator';
import { constructsFramework } from '../../test/support/constructs';
import type { Framework, FrameworkDocument } from './types';

function frameworkOf(doc: FrameworkDocument): Framework {
  const result = checkFramework(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.framework;
}

const framework = frameworkOf(constructsFramework());
const schemas = new ResponseSchemas();
const graded = (grade: string) => ({ grade, rationale: 'Seen on file.' });

/** A complete submission where the police and school were involved and the child is 8. */
function complete(): any {
  return {
    case: { ageYears: 8 },
    sections: {
      profile: { answers: { police: 'yes', school: 'yes' } },
      'police-work': {
        ...graded('good'),
        answers: { 'police-shared': 'yes' },
        evidence: { 'police-shared': 'Strategy discussion minutes.' },
      },
      education: { ...graded('good'), answers: { attendance: 'yes' } },
      help: graded('requires-improvement'),
      early: { ...graded('requires-improvement'), answers: { 'early-q': 'Family support.' } },
      plan: { answers: { 'plan-q': 'yes' } },
    },
    overall: graded('requires-improvement'),
  };
}

const submit = (response: unknown) => schemas.check(framework, 'submit', response);
const fields = (response: unknown) => {
  const check = submit(response);
  return check.ok ? [] : check.errors.map((e) => e.field);
};
const changed = (change: (r: any) => void) => {
  const response = complete();
  change(response);
  return response;
};

describe('responses to the newer constructs', () => {
  it('accept a complete submission', () => {
    expect(submit(complete())).toEqual({ ok: true });
  });

  it.each<[string, (r: any) => void]>([
    [
      'a section that does not apply, left out',
      (r) => {
        r.sections.profile.answers.police = 'no';
        delete r.sections['police-work'];
      },
    ],
    [
      'a section marked not applicable with a reason',
      (r) => (r.sections.education = { notApplicable: { reason: 'Home educated.' } }),
    ],
    [
      'a section whose case condition does not hold, left out',
      (r) => {
        r.case.ageYears = 3;
        delete r.sections.education;
      },
    ],
    [
      'a section whose case fact is unknown, left out',
      (r) => {
        delete r.case;
        delete r.sections.education;
      },
    ],
    [
      'an optional grade left out',
      (r) => delete r.sections.education.grade && delete r.sections.education.rationale,
    ],
    ['an optional overall grade left out', (r) => delete r.overall],
    ['optional evidence given', (r) => (r.sections.education.evidence = { attendance: 'Register seen.' })],
    [
      'a section no better than its lowest part',
      (r) => {
        r.sections.help = graded('inadequate');
        r.overall = graded('inadequate');
      },
    ],
    [
      'an overall grade with a not-applicable section left out of the rule',
      (r) => {
        r.sections.education = { notApplicable: { reason: 'Home educated.' } };
        r.sections['police-work'].grade = 'outstanding';
      },
    ],
  ])('accept %s', (_, change) => {
    expect(submit(changed(change))).toEqual({ ok: true });
  });

  it.each<[string, (r: any) => void, string]>([
    [
      'answers to a section that does not apply',
      (r) => (r.sections.profile.answers.police = 'no'),
      '/sections/police-work',
    ],
    ['a section that applies, left out', (r) => delete r.sections['police-work'], '/sections/police-work'],
    [
      'a missing required evidence',
      (r) => delete r.sections['police-work'].evidence,
      '/sections/police-work/evidence',
    ],
    [
      'a blank reason for not applicable',
      (r) => (r.sections.education = { notApplicable: { reason: ' ' } }),
      '/sections/education/notApplicable/reason',
    ],
    [
      'a grade beside not applicable',
      (r) => (r.sections.education = { grade: 'good', notApplicable: { reason: 'No school.' } }),
      '/sections/education/grade',
    ],
    [
      'not applicable where the framework does not allow it',
      (r) => (r.sections.help.notApplicable = { reason: 'x' }),
      '/sections/help/notApplicable',
    ],
    [
      'a "not applicable" answer to a yes / no question',
      (r) => (r.sections.profile.answers.police = 'na'),
      '/sections/profile/answers/police',
    ],
    [
      'a grade for a section graded by none',
      (r) => (r.sections.profile.grade = 'good'),
      '/sections/profile/grade',
    ],
    [
      'a section better than its lowest part',
      (r) => (r.sections.help = graded('good')),
      '/sections/help/grade',
    ],
    [
      'an optional grade without its rationale',
      (r) => delete r.sections.education.rationale,
      '/sections/education/rationale',
    ],
    ['a missing part that needs a grade', (r) => delete r.sections.early, '/sections/early'],
    [
      'an overall grade better than the lowest graded section',
      (r) => (r.overall = graded('good')),
      '/overall/grade',
    ],
  ])('refuse %s', (_, change, field) => {
    expect(fields(changed(change))).toContain(field);
  });

  it('leave drafts free of the rules that only submission holds', () => {
    expect(schemas.check(framework, 'draft', { sections: { 'police-work': { grade: 'good' } } })).toEqual({
      ok: true,
    });
  });
});

describe('messages about the newer constructs', () => {
  it.each<[string, (r: any) => void, { field: string; message: string }]>([
    [
      'a section that does not apply',
      (r) => (r.sections.profile.answers.police = 'no'),
      {
        field: '/sections/police-work',
        message: 'Remove what is written in Police: it only applies when “Were the police involved?” is Yes',
      },
    ],
    [
      'missing evidence',
      (r) => (r.sections['police-work'].evidence = {}),
      {
        field: '/sections/police-work/evidence/police-shared',
        message: 'Add the evidence for "Did the police share information?"',
      },
    ],
    [
      'a blank reason',
      (r) => (r.sections.education = { notApplicable: { reason: ' ' } }),
      {
        field: '/sections/education/notApplicable/reason',
        message: 'Give a reason why Education does not apply',
      },
    ],
    [
      'a grade beside not applicable',
      (r) => (r.sections.education = { grade: 'good', notApplicable: { reason: 'No school.' } }),
      {
        field: '/sections/education/grade',
        message: 'Remove the grade from Education, or do not mark it as not applicable',
      },
    ],
    [
      'a section better than its lowest part',
      (r) => (r.sections.help = { grade: 'good', rationale: 'x' }),
      {
        field: '/sections/help/grade',
        message:
          'The grade for Help and protection can be no better than its lowest part: Requires improvement to be good, for Early help',
      },
    ],
    [
      'an optional grade without its rationale',
      (r) => delete r.sections.education.rationale,
      { field: '/sections/education/rationale', message: 'Give a rationale for the grade for Education' },
    ],
  ])('name %s plainly', (_, change, error) => {
    const check = submit(changed(change));
    expect(check.ok ? [] : check.errors).toContainEqual(error);
  });
});
