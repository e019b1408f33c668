import { blocksOf, readsCaseFacts } from './blocks';
import { isCaseCondition } from './conditions';
import { limitingSections, scaleById } from './overall-grade';
import { YES_NO_NA, rankedLevels } from './scales';
import {
  CASE_FACTS,
  type AnswerCondition,
  type CaseCondition,
  type Condition,
  type Framework,
  type NormalisedBlock,
  type Question,
} from './types';

export type Variant = 'draft' | 'submit';
export const VARIANTS: readonly Variant[] = ['draft', 'submit'];

type Schema = Record<string, unknown>;

export const TEXT_LIMIT = 20000;
const text = (mustHaveContent: boolean): Schema => ({
  type: 'string',
  maxLength: TEXT_LIMIT,
  ...(mustHaveContent ? { pattern: '\\S' } : {}),
});

function gradeCodes(framework: Framework, scaleId: string): string[] {
  return scaleById(framework, scaleId).levels.map((level) => level.code);
}

function answerSchema(framework: Framework, question: Question, submit: boolean): Schema {
  const required = submit && question.required !== false;
  switch (question.type) {
    case 'grade':
      return {
        type: 'object',
        additionalProperties: false,
        properties: {
          grade: { enum: gradeCodes(framework, question.scale as string) },
          rationale: text(required && framework.rationaleRequired),
        },
        ...(required ? { required: framework.rationaleRequired ? ['grade', 'rationale'] : ['grade'] } : {}),
      };
    case 'yes-no-na':
      return { enum: [...YES_NO_NA] };
    case 'yes-no':
      return { enum: ['yes', 'no'] };
    case 'single-choice':
      return { enum: question.options?.map((o) => o.value) };
    case 'multiple-choice':
      return {
        type: 'array',
        uniqueItems: true,
        items: { enum: question.options?.map((o) => o.value) },
        ...(required ? { minItems: 1 } : {}),
      };
    case 'text':
      return text(required);
    case 'number':
      return {
        type: question.integer ? 'integer' : 'number',
        ...(question.min !== undefined ? { minimum: question.min } : {}),
        ...(question.max !== undefined ? { maximum: question.max } : {}),
      };
    case 'date':
      return { type: 'string', format: 'date' };
  }
}

type Block = NormalisedBlock;

/** Where each question is, by id: its block (section or part) and the question itself. */
type QuestionIndex = Map<string, { blockId: string; question: Question }>;

function indexQuestions(framework: Framework): QuestionIndex {
  return new Map(
    blocksOf(framework).flatMap(({ block }) =>
      block.questions.map((question) => [question.id, { blockId: block.id, question }] as const),
    ),
  );
}

/** A rule on the response's `sections` object. */
const onSections = (schema: Schema): Schema => ({ properties: { sections: schema } });
/** The block's entry is present and satisfies the schema. */
const entryIs = (blockId: string, schema: Schema): Schema => ({
  properties: { sections: { properties: { [blockId]: schema }, required: [blockId] } },
  required: ['sections'],
});
const absent = (blockId: string): Schema => onSections({ properties: { [blockId]: false } });
const markedNotApplicable = (blockId: string): Schema => entryIs(blockId, { required: ['notApplicable'] });

/** The values a simple answer condition accepts, as a schema of the answer. */
function answerValueSchema(index: QuestionIndex, condition: AnswerCondition): Schema {
  const controller = index.get(condition.question)?.question;
  const values = condition.in ?? (condition.equals !== undefined ? [condition.equals] : []);
  if (condition.includes !== undefined) return { type: 'array', contains: { const: condition.includes } };
  if (controller?.type === 'grade')
    return { type: 'object', properties: { grade: { enum: values } }, required: ['grade'] };
  return { enum: values };
}

/** A case fact's accepted values: numbers compare as numbers, and may be held as text. */
function caseValueSchema(condition: CaseCondition): Schema {
  if (condition.atLeast !== undefined || condition.atMost !== undefined)
    return {
      type: 'number',
      ...(condition.atLeast !== undefined ? { minimum: condition.atLeast } : {}),
      ...(condition.atMost !== undefined ? { maximum: condition.atMost } : {}),
    };
  const values = condition.in ?? (condition.equals !== undefined ? [condition.equals] : []);
  const numbers = values.filter((v) => /^-?\d+(\.\d+)?$/.test(v)).map(Number);
  return { enum: [...values, ...numbers] };
}

/** A condition as a rule on the whole response (with the case's facts at `case`): it holds when this does. */
function conditionSchema(index: QuestionIndex, condition: Condition): Schema {
  if ('all' in condition) return { allOf: condition.all.map((c) => conditionSchema(index, c)) };
  if ('any' in condition) return { anyOf: condition.any.map((c) => conditionSchema(index, c)) };
  if ('not' in condition) return { not: conditionSchema(index, condition.not) };
  if (isCaseCondition(condition))
    return {
      properties: {
        case: { properties: { [condition.case]: caseValueSchema(condition) }, required: [condition.case] },
      },
      required: ['case'],
    };
  const blockId = index.get(condition.question)?.blockId as string;
  return entryIs(blockId, {
    properties: {
      answers: {
        properties: { [condition.question]: answerValueSchema(index, condition) },
        required: [condition.question],
      },
    },
    required: ['answers'],
  });
}

/** A simple condition on a question of the same block: checked on the block's answers, cheapest to compile. */
function localCondition(index: QuestionIndex, blockId: string, condition: Condition | undefined) {
  return condition && 'question' in condition && index.get(condition.question)?.blockId === blockId
    ? condition
    : undefined;
}

/** Relevance rules on a block's own answers, for questions whose condition is on the same block. */
function localRelevanceRules(index: QuestionIndex, block: Block): Schema[] {
  return block.questions.flatMap((question) => {
    const condition = localCondition(index, block.id, question.relevantWhen);
    if (!condition) return [];
    return [
      {
        if: {
          properties: { [condition.question]: answerValueSchema(index, condition) },
          required: [condition.question],
        },
        then: question.required ? { required: [question.id] } : true,
        else: { properties: { [question.id]: false } },
      },
    ];
  });
}

/**
 * Relevance of questions whose condition reads another block, combines conditions or reads the case: when it
 * holds, a required question must be answered (unless its block is absent or marked not applicable, which
 * other rules judge); when it does not, the question must not be answered at all.
 */
function crossRelevanceRules(index: QuestionIndex, block: Block): Schema[] {
  return block.questions.flatMap((question) => {
    if (!question.relevantWhen || localCondition(index, block.id, question.relevantWhen)) return [];
    const answered = entryIs(block.id, {
      properties: { answers: { required: [question.id] } },
      required: ['answers'],
    });
    return [
      {
        if: conditionSchema(index, question.relevantWhen),
        then: question.required
          ? {
              if: entryIs(block.id, block.allowNotApplicable ? { not: { required: ['notApplicable'] } } : {}),
              then: answered,
            }
          : true,
        else: onSections({
          properties: { [block.id]: { properties: { answers: { properties: { [question.id]: false } } } } },
        }),
      },
    ];
  });
}

/** Whether a block needs an entry at submission when it applies: a grade to give or a question to answer. */
const needsEntry = (block: Block): boolean =>
  (block.graded && block.grading !== 'optional') ||
  block.questions.some((q) => !q.relevantWhen && q.required);

/**
 * When a block applies: its condition and its section's hold, and its section is not marked not applicable.
 * A block that always applies gives an empty list.
 */
function appliesWhen(index: QuestionIndex, block: Block, parent: Block | undefined): Schema[] {
  return [
    ...(parent?.relevantWhen ? [conditionSchema(index, parent.relevantWhen)] : []),
    ...(parent?.allowNotApplicable ? [{ not: markedNotApplicable(parent.id) }] : []),
    ...(block.relevantWhen ? [conditionSchema(index, block.relevantWhen)] : []),
  ];
}

/** A block that does not apply has no entry; one that applies and needs answers or a grade has one. */
function presenceRule(index: QuestionIndex, block: Block, parent: Block | undefined): Schema | undefined {
  const gate = appliesWhen(index, block, parent);
  if (gate.length === 0) return undefined;
  return {
    if: gate.length === 1 ? gate[0] : { allOf: gate },
    then: needsEntry(block) ? onSections({ required: [block.id] }) : true,
    else: absent(block.id),
  };
}

/** What a block's entry must hold at submission: a reason when marked not applicable, else its answers and grade. */
function entryRules(framework: Framework, block: Block): Schema[] {
  const unconditional = block.questions.filter((q) => !q.relevantWhen && q.required);
  const gradeRequired = block.graded && block.grading !== 'optional';
  const rationaleRequired = block.graded && framework.rationaleRequired;
  const required = [
    ...(gradeRequired ? ['grade'] : []),
    ...(gradeRequired && rationaleRequired ? ['rationale'] : []),
    ...(unconditional.length > 0 ? ['answers'] : []),
  ];
  const evidence = block.questions
    .filter((q) => q.evidence === 'required')
    .map((q) => ({
      if: { properties: { answers: { required: [q.id] } }, required: ['answers'] },
      then: { properties: { evidence: { required: [q.id] } }, required: ['evidence'] },
    }));
  const answering: Schema = {
    ...(required.length > 0 ? { required } : {}),
    ...(!gradeRequired && rationaleRequired ? { dependentRequired: { grade: ['rationale'] } } : {}),
    ...(evidence.length > 0 ? { allOf: evidence } : {}),
  };
  if (!block.allowNotApplicable) return Object.keys(answering).length > 0 ? [answering] : [];
  const nothing = Object.fromEntries(
    ['grade', 'rationale', 'strengths', 'developments', 'answers', 'evidence', 'differences'].map((k) => [
      k,
      false,
    ]),
  );
  return [{ if: { required: ['notApplicable'] }, then: { properties: nothing }, else: answering }];
}

/** One block's entry: its grade, answers, evidence and "not applicable", as the framework defines them. */
function blockSchema(framework: Framework, index: QuestionIndex, block: Block, submit: boolean): Schema {
  const local = submit ? localRelevanceRules(index, block) : [];
  const unconditional = block.questions.filter((q) => !q.relevantWhen && q.required);
  const withEvidence = block.questions.filter((q) => q.evidence);
  const rules = submit ? entryRules(framework, block) : [];
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...(block.graded
        ? {
            grade: { enum: gradeCodes(framework, block.scale as string) },
            rationale: text(submit && framework.rationaleRequired),
            strengths: text(false),
            developments: text(false),
          }
        : {}),
      ...(block.questions.some((q) => q.prefill)
        ? {
            differences: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(
                block.questions.filter((q) => q.prefill).map((q) => [q.id, text(true)]),
              ),
            },
          }
        : {}),
      answers: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          block.questions.map((q) => [q.id, answerSchema(framework, q, submit)]),
        ),
        ...(submit && unconditional.length > 0 ? { required: unconditional.map((q) => q.id) } : {}),
        ...(local.length > 0 ? { allOf: local } : {}),
      },
      ...(withEvidence.length > 0
        ? {
            evidence: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(
                withEvidence.map((q) => [q.id, text(submit && q.evidence === 'required')]),
              ),
            },
          }
        : {}),
      ...(block.allowNotApplicable
        ? {
            notApplicable: {
              type: 'object',
              additionalProperties: false,
              properties: { reason: text(submit) },
              ...(submit ? { required: ['reason'] } : {}),
            },
          }
        : {}),
    },
    ...(rules.length === 1 ? rules[0] : rules.length > 1 ? { allOf: rules } : {}),
  };
}

function gradeOf(blockId: string, codes: string[]): Schema {
  return {
    properties: { [blockId]: { properties: { grade: { enum: codes } }, required: ['grade'] } },
    required: [blockId],
  };
}

function overallGradeIn(codes: string[]): Schema {
  return { properties: { overall: { properties: { grade: { enum: codes } } } } };
}

/** A graded block caps another: while it has a grade, the other's grade is no better. */
function caps(cappingId: string, codes: string[], capped: (worseOrEqual: string[]) => Schema): Schema[] {
  return codes.slice(1).map((code, i) => ({
    if: { properties: { sections: gradeOf(cappingId, [code]) }, required: ['sections'] },
    then: capped(codes.slice(i + 1)),
  }));
}

/**
 * The overall rule, over the limiting sections that have a grade (a section not applicable, or whose optional
 * grade is left out, neither caps nor sets the floor): no better than any of them; and under lowest-section,
 * when every graded one is better than a level, so is the overall grade.
 */
function overallRules(framework: Framework): Schema[] {
  if (framework.overall.grading === 'none') return [];
  const limiting = limitingSections(framework);
  const codes = rankedLevels(scaleById(framework, framework.overall.scale)).map((l) => l.code);
  const capping = limiting.flatMap((section) => caps(section.id, codes, overallGradeIn));
  if (framework.overall.rule !== 'lowest-section' || limiting.length === 0) return capping;
  const floors = codes.slice(1).map((_, i) => {
    const better = codes.slice(0, i + 1);
    return {
      if: {
        properties: {
          sections: {
            properties: Object.fromEntries(
              limiting.map((s) => [s.id, { properties: { grade: { enum: better } } }]),
            ),
            anyOf: limiting.map((s) => ({
              properties: { [s.id]: { required: ['grade'] } },
              required: [s.id],
            })),
          },
        },
        required: ['sections'],
      },
      then: overallGradeIn(better),
    };
  });
  return [...capping, ...floors];
}

/** Under the lowest-part rule, a section's grade is no better than the grade of any of its graded parts. */
function partsRules(framework: Framework): Schema[] {
  return framework.sections
    .filter((section) => section.graded && section.partsRule === 'lowest-part')
    .flatMap((section) => {
      const codes = rankedLevels(scaleById(framework, section.scale as string)).map((l) => l.code);
      return (section.parts ?? [])
        .filter((part) => part.graded && part.scale === section.scale)
        .flatMap((part) =>
          caps(part.id, codes, (worse) =>
            onSections({ properties: { [section.id]: { properties: { grade: { enum: worse } } } } }),
          ),
        );
    });
}

function overallSchema(framework: Framework, submit: boolean): Schema {
  const rationaleRequired = submit && framework.rationaleRequired;
  const optional = framework.overall.grading === 'optional';
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      grade: { enum: rankedLevels(scaleById(framework, framework.overall.scale)).map((l) => l.code) },
      rationale: text(rationaleRequired),
    },
    ...(submit && !optional ? { required: rationaleRequired ? ['grade', 'rationale'] : ['grade'] } : {}),
    ...(optional && rationaleRequired ? { dependentRequired: { grade: ['rationale'] } } : {}),
  };
}

/** The case's facts, which the server puts beside the response at validation (never stored). */
const CASE_SCHEMA: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(CASE_FACTS.map((fact) => [fact, { type: ['string', 'number'] }])),
};

/**
 * The JSON Schema an audit response to this framework must satisfy. The draft variant checks the shape and
 * the values of whatever is there; the submission variant also requires every relevant required answer and
 * evidence, a grade (and rationale) for each block that is graded and applies, a reason for each block marked
 * not applicable, refuses answers to questions and blocks that do not apply, and holds section and overall
 * grades to the framework's parts and overall rules. Sections and parts are entries side by side in `sections`.
 */
export function buildResponseSchema(framework: Framework, variant: Variant): Schema {
  const submit = variant === 'submit';
  const index = indexQuestions(framework);
  const entries = blocksOf(framework).map(({ block, parentId }) => ({
    block: block as Block,
    parent: parentId ? (framework.sections.find((s) => s.id === parentId) as Block) : undefined,
  }));
  const sections = Object.fromEntries(
    entries.map(({ block }) => [block.id, blockSchema(framework, index, block, submit)]),
  );
  const sectionsRequired = submit
    ? entries
        .filter((e) => appliesWhen(index, e.block, e.parent).length === 0 && needsEntry(e.block))
        .map((e) => e.block.id)
    : [];
  const rules = submit
    ? [
        ...entries.flatMap(({ block, parent }) => {
          const presence = presenceRule(index, block, parent);
          return [...(presence ? [presence] : []), ...crossRelevanceRules(index, block)];
        }),
        ...partsRules(framework),
        ...overallRules(framework),
      ]
    : [];
  const overallGraded = framework.overall.grading !== 'none';

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `${framework.title} ${framework.version}: audit response (${submit ? 'submission' : 'draft'})`,
    type: 'object',
    additionalProperties: false,
    properties: {
      sections: {
        type: 'object',
        additionalProperties: false,
        properties: sections,
        ...(sectionsRequired.length > 0 ? { required: sectionsRequired } : {}),
      },
      ...(overallGraded ? { overall: overallSchema(framework, submit) } : {}),
      ...(framework.safeguardingConcern
        ? {
            safeguardingConcern: {
              type: 'object',
              additionalProperties: false,
              properties: { raised: { type: 'boolean' }, details: text(false) },
              required: ['raised'],
              ...(submit
                ? {
                    if: { properties: { raised: { const: true } } },
                    then: { properties: { details: text(true) }, required: ['details'] },
                  }
                : {}),
            },
          }
        : {}),
      ...(readsCaseFacts(framework) ? { case: CASE_SCHEMA } : {}),
    },
    ...(submit
      ? {
          required: [
            'sections',
            ...(overallGraded && framework.overall.grading !== 'optional' ? ['overall'] : []),
          ],
          ...(rules.length > 0 ? { allOf: rules } : {}),
        }
      : {}),
  };
}
