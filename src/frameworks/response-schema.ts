import { limitingSections, scaleById } from './overall-grade';
import { YES_NO_NA, rankedLevels } from './scales';
import type { AnswerCondition as Condition, Framework, Question } from './types';

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

/** A schema path into the response: sections → section → answers → question. */
function atAnswer(sectionId: string, questionId: string, schema: Schema): Schema {
  return {
    properties: {
      sections: {
        properties: { [sectionId]: { properties: { answers: { properties: { [questionId]: schema } } } } },
      },
    },
  };
}

/** Where each question is, by id: its section and the question itself. */
type QuestionIndex = Map<string, { sectionId: string; question: Question }>;

function indexQuestions(framework: Framework): QuestionIndex {
  return new Map(
    framework.sections.flatMap((s) =>
      s.questions.map((question) => [question.id, { sectionId: s.id, question }] as const),
    ),
  );
}

function conditionSchema(index: QuestionIndex, condition: Condition): Schema {
  const controller = index.get(condition.question)?.question;
  const values = condition.in ?? (condition.equals !== undefined ? [condition.equals] : []);
  if (condition.includes !== undefined) return { type: 'array', contains: { const: condition.includes } };
  if (controller?.type === 'grade')
    return { type: 'object', properties: { grade: { enum: values } }, required: ['grade'] };
  return { enum: values };
}

/** Relevance within one section, as a rule on its answers object: the common case, and the cheapest to compile. */
function sectionRelevanceRules(index: QuestionIndex, section: Framework['sections'][number]): Schema[] {
  return section.questions
    .filter(
      (q) => q.relevantWhen && index.get((q.relevantWhen as Condition).question)?.sectionId === section.id,
    )
    .map((question) => {
      const condition = question.relevantWhen as Condition;
      return {
        if: {
          properties: { [condition.question]: conditionSchema(index, condition) },
          required: [condition.question],
        },
        then: question.required ? { required: [question.id] } : true,
        else: { properties: { [question.id]: false } },
      };
    });
}

/**
 * Relevance: when the condition holds, a required question must be answered; when it does not, the question
 * must not be answered at all (so a changed answer cannot leave stale answers behind). Conditions on a
 * question in another section are rules on the whole response; the rest sit on their section.
 */
function crossSectionRelevanceRules(framework: Framework, index: QuestionIndex): Schema[] {
  return framework.sections.flatMap((section) =>
    section.questions
      .filter(
        (question) =>
          question.relevantWhen &&
          index.get((question.relevantWhen as Condition).question)?.sectionId !== section.id,
      )
      .map((question) => {
        const condition = question.relevantWhen as Condition;
        const controllerSection = index.get(condition.question)?.sectionId as string;
        const holds: Schema = {
          properties: {
            sections: {
              properties: {
                [controllerSection]: {
                  properties: {
                    answers: {
                      properties: { [condition.question]: conditionSchema(index, condition) },
                      required: [condition.question],
                    },
                  },
                  required: ['answers'],
                },
              },
              required: [controllerSection],
            },
          },
          required: ['sections'],
        };
        const answered: Schema = {
          properties: {
            sections: {
              properties: {
                [section.id]: { properties: { answers: { required: [question.id] } }, required: ['answers'] },
              },
              required: [section.id],
            },
          },
          required: ['sections'],
        };
        return {
          if: holds,
          then: question.required ? answered : true,
          else: atAnswer(section.id, question.id, false as unknown as Schema),
        };
      }),
  );
}

function overallGradeIn(codes: string[]): Schema {
  return { properties: { overall: { properties: { grade: { enum: codes } } } } };
}

function sectionGradeIn(sectionId: string, codes: string[]): Schema {
  return {
    properties: { [sectionId]: { properties: { grade: { enum: codes } }, required: ['grade'] } },
    required: [sectionId],
  };
}

/**
 * The overall rule: no better than any limiting section; and under lowest-section, no better than... the
 * lowest, which is to say: when every section is better than a level, so is the overall grade.
 */
function overallRules(framework: Framework): Schema[] {
  const limiting = limitingSections(framework);
  const codes = rankedLevels(scaleById(framework, framework.overall.scale)).map((l) => l.code);
  const caps = limiting.flatMap((section) =>
    codes.slice(1).map((code, i) => ({
      if: { properties: { sections: sectionGradeIn(section.id, [code]) }, required: ['sections'] },
      then: overallGradeIn(codes.slice(i + 1)),
    })),
  );
  if (framework.overall.rule !== 'lowest-section') return caps;
  const floors = codes.slice(1).map((_, i) => {
    const better = codes.slice(0, i + 1);
    return {
      if: {
        properties: {
          sections: {
            properties: Object.fromEntries(
              limiting.map((s) => [s.id, { properties: { grade: { enum: better } }, required: ['grade'] }]),
            ),
            required: limiting.map((s) => s.id),
          },
        },
        required: ['sections'],
      },
      then: overallGradeIn(better),
    };
  });
  return [...caps, ...floors];
}

/**
 * The JSON Schema an audit response to this framework must satisfy. The draft variant checks the shape and
 * the values of whatever is there; the submission variant also requires every relevant required answer, a
 * grade and rationale for each graded section and overall, refuses answers to questions that do not apply,
 * and holds the overall grade to the framework's rule.
 */
export function buildResponseSchema(framework: Framework, variant: Variant): Schema {
  const submit = variant === 'submit';
  const index = indexQuestions(framework);
  const sections = Object.fromEntries(
    framework.sections.map((section) => {
      const relevance = submit ? sectionRelevanceRules(index, section) : [];
      const unconditional = section.questions.filter((q) => !q.relevantWhen && q.required);
      const required = [
        ...(submit && section.graded ? ['grade'] : []),
        ...(submit && section.graded && framework.rationaleRequired ? ['rationale'] : []),
        ...(submit && unconditional.length > 0 ? ['answers'] : []),
      ];
      const schema: Schema = {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...(section.graded
            ? {
                grade: { enum: gradeCodes(framework, section.scale as string) },
                rationale: text(submit && framework.rationaleRequired),
                strengths: text(false),
                developments: text(false),
              }
            : {}),
          ...(section.questions.some((q) => q.prefill)
            ? {
                differences: {
                  type: 'object',
                  additionalProperties: false,
                  properties: Object.fromEntries(
                    section.questions.filter((q) => q.prefill).map((q) => [q.id, text(true)]),
                  ),
                },
              }
            : {}),
          answers: {
            type: 'object',
            additionalProperties: false,
            properties: Object.fromEntries(
              section.questions.map((q) => [q.id, answerSchema(framework, q, submit)]),
            ),
            ...(submit && unconditional.length > 0 ? { required: unconditional.map((q) => q.id) } : {}),
            ...(relevance.length > 0 ? { allOf: relevance } : {}),
          },
        },
        ...(required.length > 0 ? { required } : {}),
      };
      return [section.id, schema];
    }),
  );
  const sectionsRequired = submit
    ? framework.sections
        .filter((s) => s.graded || s.questions.some((q) => !q.relevantWhen && q.required))
        .map((s) => s.id)
    : [];
  const overallCodes = rankedLevels(scaleById(framework, framework.overall.scale)).map((l) => l.code);

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
      overall: {
        type: 'object',
        additionalProperties: false,
        properties: { grade: { enum: overallCodes }, rationale: text(submit && framework.rationaleRequired) },
        ...(submit ? { required: framework.rationaleRequired ? ['grade', 'rationale'] : ['grade'] } : {}),
      },
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
    },
    ...(submit
      ? {
          required: ['sections', 'overall'],
          allOf: [...crossSectionRelevanceRules(framework, index), ...overallRules(framework)],
        }
      : {}),
  };
}
