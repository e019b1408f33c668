import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { sampleFramework } from '../../test/support/frameworks';
import { canonicalJson } from './canonical-json';
import { checkFramework, checkFrameworkJson, describeProblem } from './load';
import { metaSchema } from './meta-schema';
import { normalise } from './normalise';
import type { FrameworkDocument } from './types';

const problemsOf = (value: unknown) => {
  const result = checkFramework(value);
  return result.ok ? [] : result.problems.map((p) => `${p.pointer}: ${p.message}`);
};
const withChange = (change: (d: any) => void): FrameworkDocument => {
  const document = sampleFramework();
  change(document);
  return document;
};

describe('checkFramework', () => {
  it('accepts the sample and normalises it', () => {
    const result = checkFramework(sampleFramework());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.framework.scales.map((s) => s.id)).toEqual(['ofsted']);
    expect(result.framework.sections[0]).toMatchObject({ kind: 'case-profile', graded: false });
    expect(result.framework.sections[1]).toMatchObject({ kind: 'standard', graded: true, scale: 'ofsted' });
    expect(result.framework.sections[1]?.questions[1]).toMatchObject({
      type: 'grade',
      scale: 'ofsted',
      required: true,
    });
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports schema problems by JSON pointer, in plain words', () => {
    expect(
      problemsOf(
        withChange((d) => {
          d.id = 'Sample Audit';
          delete d.title;
          d.sections[1].questions[0].type = 'yes-or-no';
          d.sections[2].colour = 'red';
          d.version = '1.0';
        }),
      ),
    ).toEqual([
      '/title: is required',
      '/id: must be a lower-case id of letters, digits and hyphens, such as risk-and-safety',
      '/version: must be a version number such as 1.0.0',
      '/sections/1/questions/0/type: must be one of grade, yes-no-na, yes-no, single-choice, multiple-choice, text, number, date',
      '/sections/2/colour: is not a field allowed here (check its spelling)',
    ]);
  });

  it.each<[string, (d: any) => void, string]>([
    [
      'duplicate question ids',
      (d) => (d.sections[0].questions[2].id = 'placement'),
      '/sections/0/questions/2/id: repeats the question id "placement": ids must be unique in the framework',
    ],
    [
      'duplicate section ids',
      (d) => (d.sections[0].id = 'assessment'),
      '/sections/1/id: repeats the section id "assessment"',
    ],
    [
      'unknown scale',
      (d) => (d.sections[1].scale = 'stars'),
      '/sections/1/scale: names the scale "stars", which is neither built in nor defined in scales',
    ],
    [
      'descriptor for a grade not on the scale',
      (d) => (d.sections[1].descriptors.excellent = 'x'),
      '/sections/1/descriptors/excellent: "excellent" is not a grade of the scale "ofsted" used by section "assessment"',
    ],
    [
      'a pre-fill from a field of another kind',
      (d) => (d.sections[0].questions[0].prefill = { from: 'startDate' }),
      '/sections/0/questions/0/prefill/from: cannot pre-fill a yes-no-na question from startDate',
    ],
    [
      'a pre-fill of a choice from a yes/no field without values',
      (d) => (d.sections[0].questions[1].prefill = { from: 'uasc' }),
      '/sections/0/questions/1/prefill/from: cannot pre-fill a single-choice question from uasc without values',
    ],
    [
      'a pre-fill mapped to an answer the question does not take',
      (d) => (d.sections[0].questions[1].prefill = { from: 'placementType', values: { K2: 'secure' } }),
      '/sections/0/questions/1/prefill/values/K2: "secure" is not an answer of "placement" (foster, residential)',
    ],
    [
      'a pre-fill from a field the case list does not have',
      (d) => (d.sections[0].questions[0].prefill = { from: 'name' }),
      '/sections/0/questions/0/prefill/from: must be one of caseType, ageYears, disability, legalStatus, categoryOfAbuse, placementType, uasc, missingEpisodes, startDate',
    ],
    [
      'relevance on a later question',
      (d) => (d.sections[0].questions[1].relevantWhen = { question: 'seen-alone', equals: 'yes' }),
      '/sections/0/questions/1/relevantWhen/question: "seen-alone" comes after this question: a question can only depend on an earlier one',
    ],
    [
      'relevance on a missing question',
      (d) => (d.sections[0].questions[1].relevantWhen = { question: 'nope', equals: 'yes' }),
      '/sections/0/questions/1/relevantWhen/question: "nope" is not a question in this framework',
    ],
    [
      'relevance with an impossible answer',
      (d) => (d.sections[0].questions[1].relevantWhen.equals = 'maybe'),
      '/sections/0/questions/1/relevantWhen/equals: "maybe" is not an answer of "in-care" (yes, no, na)',
    ],
    [
      'relevance with two tests',
      (d) => (d.sections[0].questions[1].relevantWhen.in = ['yes']),
      '/sections/0/questions/1/relevantWhen: must give exactly one of equals, in or includes',
    ],
    [
      'equals on a multiple-choice question',
      (d) => (d.sections[1].questions[3].relevantWhen = { question: 'agencies', equals: 'police' }),
      '/sections/1/questions/3/relevantWhen/equals: "agencies" is a multiple-choice question: use includes',
    ],
    [
      'relevance on a text question',
      (d) => (d.sections[2].questions[1].relevantWhen = { question: 'risk-analysis', equals: 'x' }),
      '/sections/2/questions/1/relevantWhen/question: "risk-analysis" is a text question, whose answers cannot be tested',
    ],
    [
      'a choice question without options',
      (d) => delete d.sections[0].questions[1].options,
      '/sections/0/questions/1/options: are required for a single-choice question',
    ],
    [
      'options on a text question',
      (d) =>
        (d.sections[2].questions[0].options = [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ]),
      '/sections/2/questions/0/options: are only for single-choice and multiple-choice questions',
    ],
    [
      'repeated option values',
      (d) => (d.sections[0].questions[1].options[1].value = 'foster'),
      '/sections/0/questions/1/options/1/value: repeats the option value "foster"',
    ],
    [
      'min above max',
      (d) => (d.sections[1].questions[4].min = 60),
      '/sections/1/questions/4/max: must not be less than min (60)',
    ],
    [
      'min on a text question',
      (d) => (d.sections[2].questions[0].min = 1),
      '/sections/2/questions/0/min: is only for number questions',
    ],
    [
      'cap by a missing section',
      (d) => (d.overall.cappedBy = ['risks']),
      '/overall/cappedBy/0: "risks" is not a section of this framework',
    ],
    [
      'cap by an ungraded section',
      (d) => (d.overall.cappedBy = ['profile']),
      '/overall/cappedBy/0: "profile" is not graded, so it cannot cap the overall grade',
    ],
    [
      'capped rule without caps',
      (d) => delete d.overall.cappedBy,
      '/overall/cappedBy: is required when the rule is capped-by-sections',
    ],
    [
      'remediation on a grade not on the scale',
      (d) => (d.remediation.triggers[0].grades = ['poor']),
      '/remediation/triggers/0/grades/0: "poor" is not a grade of the scale "ofsted" used by the overall grade',
    ],
    [
      're-audit due after no working days',
      (d) => (d.remediation.reaudit = { afterWorkingDays: 0 }),
      '/remediation/reaudit/afterWorkingDays: must be at least 1',
    ],
    [
      're-audit given as a number',
      (d) => (d.remediation.reaudit = 40),
      '/remediation/reaudit: must be true or false, or an object',
    ],
    [
      'a built-in scale redefined',
      (d) =>
        (d.scales = [
          {
            id: 'ofsted',
            label: 'Mine',
            levels: [
              { code: 'a', label: 'A' },
              { code: 'b', label: 'B' },
            ],
          },
        ]),
      '/scales/0/id: "ofsted" is a built-in scale: give your own scale another id',
    ],
    [
      'a scale with one ranked level',
      (d) =>
        (d.scales = [
          {
            id: 'mine',
            label: 'Mine',
            levels: [
              { code: 'a', label: 'A' },
              { code: 'na', label: 'N/A', notApplicable: true },
            ],
          },
        ]),
      '/scales/0/levels: must have at least 2 levels that are not "not applicable"',
    ],
  ])('refuses %s', (_what, change, problem) => {
    expect(problemsOf(withChange(change))).toEqual([problem]);
  });

  it('needs every graded section on the overall scale for lowest-section', () => {
    const document = withChange((d) => {
      d.overall = { rule: 'lowest-section' };
      d.sections[2].scale = 'yes-no-na';
    });
    expect(problemsOf(document)).toEqual([
      '/overall/rule: lowest-section needs every graded section on the overall scale, and "risk" uses "yes-no-na"',
    ]);
  });

  it('normalises idempotently, so stored content hashes the same however it was written', () => {
    const first = checkFramework(sampleFramework());
    if (!first.ok) throw new Error('sample must be valid');
    expect(normalise(first.framework)).toEqual(first.framework);
    const again = checkFramework(JSON.parse(JSON.stringify(first.framework)));
    expect(again.ok && again.hash).toBe(first.hash);
    const reordered = JSON.parse(canonicalJson(sampleFramework()));
    expect(checkFrameworkJson(JSON.stringify(reordered, null, 4))).toMatchObject({
      ok: true,
      hash: first.hash,
    });
  });

  it('says where JSON is broken, with line and column', () => {
    const result = checkFrameworkJson('{\n  "id": "x",\n  "version": 1.0.0\n}');
    expect(result.ok ? [] : result.problems.map((p) => describeProblem('f.json', p))).toEqual([
      'f.json: /: is not valid JSON: unexpected character at line 3, column 17',
    ]);
    expect(checkFrameworkJson('\uFEFF' + JSON.stringify(sampleFramework()))).toMatchObject({ ok: true });
  });
});

describe('the meta-schema', () => {
  it('is a valid JSON Schema 2020-12 document', () => {
    const ajv = new Ajv2020({ strict: false });
    expect([ajv.validateSchema(metaSchema), ajv.errors]).toEqual([true, null]);
  });
});

describe('checkFramework on arbitrary input', () => {
  const isProblemList = (result: ReturnType<typeof checkFramework>) =>
    !result.ok &&
    result.problems.length > 0 &&
    result.problems.every(
      (p) => typeof p.pointer === 'string' && typeof p.message === 'string' && p.message.length > 0,
    );

  it('turns any JSON value into problems, never an exception', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => isProblemList(checkFramework(value))),
      { numRuns: 500 },
    );
  });

  it('turns any text, JSON or not, into problems, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), (text) =>
        isProblemList(checkFrameworkJson(text)),
      ),
      { numRuns: 500 },
    );
  });

  it('survives the sample with any part replaced by arbitrary JSON', () => {
    const paths = [
      'id',
      'sections',
      'overall',
      'scales',
      'remediation',
      'caseTypes',
      'defaultScale',
      'safeguardingConcern',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (key, value) => {
        const document: Record<string, unknown> = { ...sampleFramework(), [key]: value };
        const result = checkFramework(document);
        return result.ok || isProblemList(result);
      }),
      { numRuns: 500 },
    );
  });

  it('survives any question mutated into arbitrary JSON', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.dictionary(
          fc.constantFrom('id', 'type', 'text', 'options', 'relevantWhen', 'scale', 'min', 'required'),
          fc.jsonValue(),
        ),
        (q, fields) => {
          const document = sampleFramework();
          const section = document.sections[1] as { questions: unknown[] };
          section.questions[q] = { ...(section.questions[q] as object), ...fields };
          const result = checkFramework(document);
          return result.ok || isProblemList(result);
        },
      ),
      { numRuns: 500 },
    );
  });
});
