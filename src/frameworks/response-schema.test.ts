import { completeResponse, sampleFramework } from '../../test/support/frameworks';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { FRAMEWORKS_DIR } from '../paths';
import { checkFramework } from './load';
import { buildResponseSchema } from './response-schema';
import { ResponseSchemas } from './response-validator';
import type { Framework, FrameworkDocument } from './types';

function frameworkOf(document: FrameworkDocument): Framework {
  const result = checkFramework(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.framework;
}

const schemas = new ResponseSchemas();
const framework = frameworkOf(sampleFramework());
const submit = (response: unknown) => schemas.check(framework, 'submit', response);
const draft = (response: unknown) => schemas.check(framework, 'draft', response);
const errorsOf = (check: ReturnType<typeof submit>) => (check.ok ? [] : check.errors);

/** The complete response with a change made to it. */
function changed(change: (r: any) => void): unknown {
  const response = completeResponse();
  change(response);
  return response;
}

describe('draft responses', () => {
  it('accept an empty or partial response', () => {
    expect(draft({})).toEqual({ ok: true });
    expect(draft({ sections: { assessment: { grade: 'good' } } })).toEqual({ ok: true });
  });

  it('still refuse values that can never be right, field by field', () => {
    expect(
      errorsOf(
        draft({
          sections: {
            assessment: { grade: 'great', answers: { visits: 'six', agencies: ['army'] } },
            nope: {},
          },
          overall: { grade: 'good' },
        }),
      ),
    ).toEqual([
      { field: '/sections/nope', message: 'Is not part of this framework' },
      {
        field: '/sections/assessment/grade',
        message: 'Choose one of: Outstanding, Good, Requires improvement to be good, Inadequate',
      },
      { field: '/sections/assessment/answers/agencies/0', message: 'Choose one of: Health, School, Police' },
      { field: '/sections/assessment/answers/visits', message: 'Must be a whole number' },
    ]);
  });

  it('do not enforce relevance or the cap while drafting', () => {
    expect(draft(changed((r) => (r.sections.profile.answers['in-care'] = 'no')))).toEqual({ ok: true });
    expect(draft(changed((r) => (r.sections.risk.grade = 'inadequate')))).toEqual({ ok: true });
  });
});

describe('submissions', () => {
  it('accept a complete response', () => {
    expect(submit(completeResponse())).toEqual({ ok: true });
  });

  it('require a grade and a rationale for each graded section and overall', () => {
    expect(
      errorsOf(
        submit(
          changed((r) => {
            delete r.sections.risk.grade;
            r.sections.assessment.rationale = '   ';
            delete r.overall.rationale;
          }),
        ),
      ),
    ).toEqual([
      { field: '/sections/assessment/rationale', message: 'Cannot be blank' },
      { field: '/sections/risk/grade', message: 'Choose a grade for Risk and safety' },
      { field: '/overall/rationale', message: 'Give a rationale for the overall grade' },
    ]);
  });

  it('require every required question, with the question in the message', () => {
    expect(
      errorsOf(
        submit(
          changed((r) => {
            delete r.sections.assessment.answers['seen-alone'];
            r.sections.assessment.answers.quality = { grade: 'good' };
            r.sections.assessment.answers.agencies = [];
          }),
        ),
      ),
    ).toEqual([
      { field: '/sections/assessment/answers/seen-alone', message: 'Answer "Was the child seen alone?"' },
      {
        field: '/sections/assessment/answers/quality/rationale',
        message: 'Give a rationale for the grade for "How good is the analysis?"',
      },
      {
        field: '/sections/assessment/answers/agencies',
        message: 'Choose at least one answer for "Which agencies contributed?"',
      },
    ]);
  });

  it('allow optional questions to be left out', () => {
    expect(submit(changed((r) => delete r.sections.assessment.answers.completed))).toEqual({ ok: true });
  });

  it('require a question that has become relevant', () => {
    expect(errorsOf(submit(changed((r) => delete r.sections.profile.answers.placement)))).toEqual([
      { field: '/sections/profile/answers/placement', message: 'Answer "What kind of placement?"' },
    ]);
    expect(errorsOf(submit(changed((r) => (r.sections.assessment.answers['seen-alone'] = 'no'))))).toEqual([
      {
        field: '/sections/risk/answers/why-not-alone',
        message: 'Answer "Why was the child not seen alone?"',
      },
    ]);
    expect(errorsOf(submit(changed((r) => r.sections.assessment.answers.agencies.push('police'))))).toEqual([
      { field: '/sections/assessment/answers/police-detail', message: 'Answer "What did the police add?"' },
    ]);
  });

  it('refuse an answer to a question that does not apply, saying when it does', () => {
    expect(errorsOf(submit(changed((r) => (r.sections.profile.answers['in-care'] = 'no'))))).toEqual([
      {
        field: '/sections/profile/answers/placement',
        message:
          'Remove the answer to "What kind of placement?": it only applies when “Is the child in care?” is Yes',
      },
    ]);
  });

  it('hold the overall grade to the cap, explaining it', () => {
    expect(errorsOf(submit(changed((r) => (r.sections.risk.grade = 'requires-improvement'))))).toEqual([
      {
        field: '/overall/grade',
        message:
          'The overall grade cannot be better than Requires improvement to be good because Risk and safety is Requires improvement to be good.',
      },
    ]);
    expect(
      submit(
        changed((r) => {
          r.sections.risk.grade = 'requires-improvement';
          r.overall.grade = 'inadequate';
        }),
      ),
    ).toEqual({ ok: true });
  });

  it('hold the overall grade to the lowest section grade under that rule', () => {
    const lowest = frameworkOf(sampleFramework({ overall: { rule: 'lowest-section' } }));
    // Same id and version as the sample, so a cache of its own (in the service a version never changes).
    const own = new ResponseSchemas();
    const check = (change: (r: any) => void) => own.check(lowest, 'submit', changed(change));
    expect(check(() => undefined)).toEqual({ ok: true });
    expect(check((r) => (r.overall.grade = 'outstanding'))).toMatchObject({ ok: false });
    expect(check((r) => (r.overall.grade = 'requires-improvement'))).toMatchObject({
      ok: false,
      errors: [
        {
          field: '/overall/grade',
          message:
            'The overall grade is the lowest section grade: Good, for Assessment and analysis and Risk and safety.',
        },
      ],
    });
    expect(
      check((r) => {
        r.sections.assessment.grade = 'inadequate';
        r.overall.grade = 'inadequate';
      }),
    ).toEqual({ ok: true });
  });

  it('need no rationales when the framework does not ask for them', () => {
    const relaxed = frameworkOf(sampleFramework({ rationaleRequired: false }));
    const response = changed((r) => {
      delete r.sections.assessment.rationale;
      delete r.sections.risk.rationale;
      delete r.overall.rationale;
      r.sections.assessment.answers.quality = { grade: 'good' };
    });
    expect(new ResponseSchemas().check(relaxed, 'submit', response)).toEqual({ ok: true });
  });

  it('require details of a safeguarding concern that is raised', () => {
    expect(errorsOf(submit(changed((r) => (r.safeguardingConcern = { raised: true }))))).toEqual([
      { field: '/safeguardingConcern/details', message: 'Describe the safeguarding concern' },
    ]);
  });

  it('check dates, numbers and their limits', () => {
    expect(
      errorsOf(
        submit(
          changed((r) => {
            r.sections.assessment.answers.completed = '2026-02-30';
            r.sections.assessment.answers.visits = 51;
          }),
        ),
      ),
    ).toEqual([
      { field: '/sections/assessment/answers/visits', message: 'Must be 50 or less' },
      {
        field: '/sections/assessment/answers/completed',
        message: 'Enter a real date in the form 2026-03-27',
      },
    ]);
  });
});

describe('ResponseSchemas', () => {
  it('compiles each version and variant once', () => {
    const cache = new ResponseSchemas();
    expect(cache.validator(framework, 'submit')).toBe(cache.validator(framework, 'submit'));
    expect(cache.validator(framework, 'draft')).not.toBe(cache.validator(framework, 'submit'));
  });

  it('builds valid JSON Schema 2020-12 documents, for every shipped framework and variant', () => {
    const metaValidator = new Ajv2020({ strict: false });
    addFormats(metaValidator);
    const shipped = readdirSync(FRAMEWORKS_DIR)
      .filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json'))
      .map((file) =>
        frameworkOf(JSON.parse(readFileSync(path.join(FRAMEWORKS_DIR, file), 'utf8')) as FrameworkDocument),
      );
    for (const f of [framework, ...shipped]) {
      for (const variant of ['draft', 'submit'] as const) {
        expect([
          f.id,
          variant,
          metaValidator.validateSchema(buildResponseSchema(f, variant)),
          metaValidator.errors,
        ]).toEqual([f.id, variant, true, null]);
      }
    }
  });

  it('serves a standard JSON Schema 2020-12 document', () => {
    expect(schemas.schema(framework, 'submit')).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      required: ['sections', 'overall'],
    });
  });
});
