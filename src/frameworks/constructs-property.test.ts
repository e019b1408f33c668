import fc from 'fast-check';
import { conditionHolds, type CaseFacts } from './conditions';
import { checkFramework } from './load';
import { normalise } from './normalise';
import { ResponseSchemas } from './response-validator';
import type { Condition, FrameworkDocument, GradedBlock, Grading, Section } from './types';

const GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate'];
const AGENCIES = ['a0', 'a1', 'a2'];

/** A condition on the profile's yes / no questions and the case's age and type, nested up to two levels. */
const simple: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ question: fc.constantFrom(...AGENCIES), equals: fc.constantFrom('yes', 'no') }),
  fc.record({ case: fc.constant('ageYears' as const), atLeast: fc.integer({ min: 0, max: 17 }) }),
  fc.record({
    case: fc.constant('caseType' as const),
    in: fc.subarray(['child-in-need', 'child-protection'], { minLength: 1 }),
  }),
);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 3, arbitrary: simple },
  fc.record({ all: fc.array(simple, { minLength: 1, maxLength: 3 }) }),
  fc.record({ any: fc.array(simple, { minLength: 1, maxLength: 3 }) }),
  fc.record({ not: simple }),
);

const blockFields = (id: string) =>
  fc
    .record(
      {
        grading: fc.constantFrom<Grading>('required', 'optional', 'none'),
        relevantWhen: condition,
        allowNotApplicable: fc.boolean(),
        evidence: fc.constantFrom<'optional' | 'required' | undefined>('optional', 'required', undefined),
      },
      { requiredKeys: ['grading', 'allowNotApplicable'] },
    )
    .map(({ evidence, ...rest }) => ({
      id,
      title: `Block ${id}`,
      ...rest,
      questions: [
        {
          id: `${id}-q`,
          type: 'yes-no' as const,
          text: `Question of ${id}`,
          ...(evidence ? { evidence } : {}),
        },
      ],
    }));

const section = (i: number): fc.Arbitrary<Section> =>
  fc
    .tuple(blockFields(`s${i}`), fc.integer({ min: 0, max: 2 }), fc.boolean())
    .chain(([block, partCount, lowest]) =>
      fc
        .tuple(...Array.from({ length: partCount }, (_, p) => blockFields(`s${i}p${p}`)))
        .map((parts): Section => ({
          ...block,
          ...(parts.length > 0 ? { parts: parts } : {}),
          ...(parts.length > 0 &&
          lowest &&
          block.grading !== 'none' &&
          parts.some((p) => p.grading !== 'none')
            ? { partsRule: 'lowest-part' as const }
            : {}),
        })),
    );

const frameworks: fc.Arbitrary<FrameworkDocument> = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom<Grading>('required', 'optional', 'none'))
  .chain(([count, overallGrading]) =>
    fc.tuple(...Array.from({ length: count }, (_, i) => section(i))).map((sections) => ({
      id: 'generated',
      version: '1.0.0',
      title: 'Generated',
      description: 'A generated framework.',
      jurisdiction: 'england' as const,
      caseTypes: ['child-in-need' as const],
      sections: [
        {
          id: 'profile',
          title: 'Agencies',
          grading: 'none' as const,
          questions: AGENCIES.map((id) => ({ id, type: 'yes-no' as const, text: `Agency ${id}?` })),
        },
        ...sections,
      ],
      overall:
        overallGrading === 'none'
          ? { grading: 'none' as const }
          : {
              rule: sections.some((s) => s.grading !== 'none')
                ? ('lowest-section' as const)
                : ('auditor-judgement' as const),
              grading: overallGrading,
            },
    })),
  );

const facts: fc.Arbitrary<CaseFacts> = fc.record(
  {
    ageYears: fc.integer({ min: 0, max: 17 }),
    caseType: fc.constantFrom('child-in-need', 'child-protection', 'child-in-care'),
  },
  { requiredKeys: [] },
);

/**
 * A complete submission worked out from the framework, independently of its schema: blocks whose conditions
 * hold are answered and graded (the lowest-part rule and the overall rule followed), the rest left out, and
 * blocks that may be marked not applicable are, when the coin says so.
 */
function completeResponse(
  document: FrameworkDocument,
  answers: Record<string, 'yes' | 'no'>,
  caseFacts: CaseFacts,
  markNotApplicable: boolean,
  pick: (id: string) => number,
) {
  const sections: Record<string, any> = { profile: { answers } };
  const answerOf = (id: string) => answers[id];
  const fill = (block: GradedBlock, grade?: string) => {
    if (!block.relevantWhen || conditionHolds(block.relevantWhen, answerOf, caseFacts)) {
      if (block.allowNotApplicable && markNotApplicable) {
        sections[block.id] = { notApplicable: { reason: 'Not part of this child’s story.' } };
        return undefined;
      }
      const q = block.questions[0]!;
      const given = grade ?? GRADES[pick(block.id)]!;
      sections[block.id] = {
        answers: { [q.id]: 'yes' },
        ...(q.evidence ? { evidence: { [q.id]: 'Seen on file.' } } : {}),
        ...(block.grading !== 'none' ? { grade: given, rationale: 'Because.' } : {}),
      };
      return block.grading !== 'none' ? given : undefined;
    }
    return undefined;
  };
  const sectionGrades: string[] = [];
  for (const section of document.sections.slice(1)) {
    const applies = !section.relevantWhen || conditionHolds(section.relevantWhen, answerOf, caseFacts);
    const marked = applies && section.allowNotApplicable && markNotApplicable;
    const partGrades =
      applies && !marked
        ? (section.parts ?? []).map((part) => fill(part)).filter((g) => g !== undefined)
        : [];
    const worstPart = partGrades.sort((a, b) => GRADES.indexOf(b) - GRADES.indexOf(a))[0];
    const grade = section.partsRule === 'lowest-part' && worstPart ? worstPart : undefined;
    const given = fill(section, grade);
    if (given) sectionGrades.push(given);
  }
  const worst = sectionGrades.sort((a, b) => GRADES.indexOf(b) - GRADES.indexOf(a))[0] ?? 'good';
  // The server gives a response its case's facts only when the framework's conditions read them.
  const readsCase = JSON.stringify(document.sections).includes('"case"');
  return {
    ...(readsCase ? { case: caseFacts } : {}),
    sections,
    ...(document.overall.grading === 'none' ? {} : { overall: { grade: worst, rationale: 'Because.' } }),
  };
}

describe('frameworks using the newer constructs, generated', () => {
  it('load, normalise idempotently, and accept a complete submission worked out without their schema', () => {
    fc.assert(
      fc.property(
        frameworks,
        fc.record({
          a0: fc.constantFrom('yes', 'no'),
          a1: fc.constantFrom('yes', 'no'),
          a2: fc.constantFrom('yes', 'no'),
        }),
        facts,
        fc.boolean(),
        fc.func(fc.integer({ min: 0, max: 3 })),
        (document, answers, caseFacts, markNotApplicable, pick) => {
          const checked = checkFramework(document);
          if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
          expect(normalise(checked.framework)).toEqual(checked.framework);
          // Each run's framework has the same id and version: a fresh cache compiles its own schemas.
          const schemas = new ResponseSchemas();
          const response = completeResponse(document, answers, caseFacts, markNotApplicable, pick);
          expect(schemas.check(checked.framework, 'submit', response)).toEqual({ ok: true });
          expect(schemas.check(checked.framework, 'draft', response)).toEqual({ ok: true });
        },
      ),
      { numRuns: 150 },
    );
  });
});
