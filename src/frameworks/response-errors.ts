import type { ErrorObject } from 'ajv';
import type { FieldError } from '../errors';
import { blocksOf } from './blocks';
import { gradeRank, overallConstraint, scaleById } from './overall-grade';
import { TEXT_LIMIT } from './response-schema';
import { conditionText } from './labels';
import { YES_NO_NA_LABELS } from './scales';
import type { Framework, NormalisedBlock, Question } from './types';

const shorten = (text: string) => (text.length > 90 ? `${text.slice(0, 87).trimEnd()}…` : text);

interface Located {
  /** The section or part. */
  section?: NormalisedBlock;
  question?: Question;
}

/** The section or part, and question, a pointer such as /sections/risk/answers/r1 is about. */
function locate(framework: Framework, pointer: string): Located {
  const [, , sectionId, , questionId] = pointer.split('/');
  const section = pointer.startsWith('/sections/')
    ? (blocksOf(framework).find((entry) => entry.block.id === sectionId)?.block as
        NormalisedBlock | undefined)
    : undefined;
  return { section, question: section?.questions.find((q) => q.id === questionId) };
}

/** The section a part belongs to, if the block is a part. */
const parentOf = (framework: Framework, blockId: string) =>
  framework.sections.find((s) => s.parts?.some((p) => p.id === blockId));

/** Why a block does not apply, in words: its own condition, or its section's. */
function blockCondition(framework: Framework, block: NormalisedBlock): string {
  const condition = block.relevantWhen ?? parentOf(framework, block.id)?.relevantWhen;
  return condition ? `it only applies when ${conditionText(framework, condition)}` : 'it does not apply';
}

/** Under the lowest-part rule: why the section's grade is refused, naming its lowest graded part. */
function partsRuleMessage(framework: Framework, sectionId: string, response: unknown): string | undefined {
  const section = framework.sections.find((s) => s.id === sectionId);
  if (!section?.parts || section.partsRule !== 'lowest-part') return undefined;
  const entries = (response as { sections?: Record<string, { grade?: string }> }).sections ?? {};
  const scale = section.scale as string;
  const graded = section.parts
    .map((part) => ({ part, rank: gradeRank(framework, scale, entries[part.id]?.grade) }))
    .filter((entry): entry is { part: NormalisedBlock; rank: number } => entry.rank !== undefined);
  if (graded.length === 0) return undefined;
  const worst = graded.reduce((a, b) => (b.rank > a.rank ? b : a));
  const grade = entries[worst.part.id]?.grade as string;
  const label = scaleById(framework, scale).levels.find((l) => l.code === grade)?.label ?? grade;
  return `The grade for ${section.title} can be no better than its lowest part: ${label}, for ${worst.part.title}`;
}

/** A value that must not be there: an answer or block that does not apply, or content beside "not applicable". */
function notAllowed(
  framework: Framework,
  field: string,
  located: Located,
  about: string | undefined,
): FieldError {
  const depth = field.split('/').length;
  if (field === '/overall') return { field, message: 'Remove the overall grade: this framework has none' };
  if (located.section && depth === 3)
    return {
      field,
      message: `Remove what is written in ${located.section.title}: ${blockCondition(framework, located.section)}`,
    };
  if (located.section && depth === 4 && located.section.allowNotApplicable)
    return {
      field,
      message: `Remove the ${field.split('/')[3] === 'grade' ? 'grade' : 'answers'} from ${located.section.title}, or do not mark it as not applicable`,
    };
  return {
    field,
    message: `Remove the answer to ${about ?? 'this question'}: it only applies when ${
      located.question ? controllerDescription(framework, located.question) : 'another answer is given'
    }`,
  };
}

function choiceLabels(framework: Framework, pointer: string, located: Located): string {
  const q = located.question;
  if (pointer.endsWith('/grade') || q?.type === 'grade') {
    const scaleId = pointer.startsWith('/overall')
      ? framework.overall.scale
      : (q?.scale ?? located.section?.scale);
    return scaleId
      ? scaleById(framework, scaleId)
          .levels.map((l) => l.label)
          .join(', ')
      : '';
  }
  if (q?.type === 'yes-no-na') return Object.values(YES_NO_NA_LABELS).join(', ');
  if (q?.type === 'yes-no') return [YES_NO_NA_LABELS.yes, YES_NO_NA_LABELS.no].join(', ');
  return q?.options?.map((o) => o.label).join(', ') ?? '';
}

function controllerDescription(framework: Framework, question: Question): string {
  return question.relevantWhen ? conditionText(framework, question.relevantWhen) : '';
}

/** The field a "required" error is about, and what to ask for. */
function missing(framework: Framework, parent: string, property: string): FieldError {
  const field = `${parent}/${property}`;
  const { section, question } = locate(framework, field);
  const sectionTitle = section?.title ?? property;
  if (parent === '') {
    return property === 'overall'
      ? { field: '/overall/grade', message: 'Choose an overall grade' }
      : { field: '/sections', message: 'Complete the sections of the audit' };
  }
  if (parent === '/sections') return { field, message: `Complete the section "${sectionTitle}"` };
  if (parent === '/overall') {
    return {
      field,
      message: property === 'grade' ? 'Choose an overall grade' : 'Give a rationale for the overall grade',
    };
  }
  if (parent === '/safeguardingConcern') return { field, message: 'Describe the safeguarding concern' };
  if (parent.endsWith('/notApplicable'))
    return { field, message: `Give a reason why ${sectionTitle} does not apply` };
  if (parent.endsWith('/evidence') && question)
    return { field, message: `Add the evidence for "${shorten(question.text)}"` };
  if (property === 'evidence') return { field, message: `Add the evidence asked for in ${sectionTitle}` };
  if (question && property === 'grade')
    return { field, message: `Choose a grade for "${shorten(question.text)}"` };
  if (question && property === 'rationale')
    return { field, message: `Give a rationale for the grade for "${shorten(question.text)}"` };
  if (question) return { field, message: `Answer "${shorten(question.text)}"` };
  if (property === 'grade') return { field, message: `Choose a grade for ${sectionTitle}` };
  if (property === 'rationale')
    return { field, message: `Give a rationale for the grade for ${sectionTitle}` };
  return { field, message: `Answer the questions in ${sectionTitle}` };
}

function describe(framework: Framework, error: ErrorObject, response: unknown): FieldError | undefined {
  const field = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  const located = locate(framework, field);
  const about = located.question ? `"${shorten(located.question.text)}"` : undefined;
  switch (error.keyword) {
    case 'if':
      return undefined;
    case 'required':
    case 'dependentRequired':
      return missing(framework, error.instancePath, String(params.missingProperty));
    case 'false schema':
      return notAllowed(framework, field, located, about);
    case 'enum':
      if (field === '/overall/grade' && error.schemaPath.startsWith('#/allOf')) {
        const sections = (response as { sections?: Record<string, { grade?: string }> }).sections ?? {};
        const grades = Object.fromEntries(Object.entries(sections).map(([id, s]) => [id, s?.grade]));
        return {
          field,
          message: overallConstraint(framework, grades).explanation ?? 'Choose an allowed overall grade',
        };
      }
      if (field.endsWith('/grade') && error.schemaPath.startsWith('#/allOf')) {
        const message = partsRuleMessage(framework, field.split('/')[2] as string, response);
        if (message) return { field, message };
      }
      return { field, message: `Choose one of: ${choiceLabels(framework, field, located)}` };
    case 'pattern':
      if (field.endsWith('/notApplicable/reason'))
        return {
          field,
          message: `Give a reason why ${located.section?.title ?? 'this section'} does not apply`,
        };
      if (field.split('/')[3] === 'evidence' && about)
        return { field, message: `Add the evidence for ${about}` };
      return { field, message: about ? `Answer ${about}` : 'Cannot be blank' };
    case 'minItems':
      return { field, message: `Choose at least one answer for ${about ?? 'this question'}` };
    case 'uniqueItems':
      return { field, message: 'Choose each answer only once' };
    case 'maxLength':
      return { field, message: `Must be ${TEXT_LIMIT.toLocaleString('en-GB')} characters or fewer` };
    case 'format':
      return { field, message: 'Enter a real date in the form 2026-03-27' };
    case 'minimum':
      return { field, message: `Must be ${String(params.limit)} or more` };
    case 'maximum':
      return { field, message: `Must be ${String(params.limit)} or less` };
    case 'type':
      return {
        field,
        message:
          params.type === 'integer'
            ? 'Must be a whole number'
            : params.type === 'number'
              ? 'Must be a number'
              : params.type === 'array'
                ? 'Must be a list of answers'
                : params.type === 'object'
                  ? 'Must be an object'
                  : 'Must be text',
      };
    case 'additionalProperties':
      return {
        field: `${error.instancePath}/${String(params.additionalProperty)}`,
        message: 'Is not part of this framework',
      };
    default:
      return { field, message: error.message ?? 'Is not valid' };
  }
}

/**
 * Turns schema errors into one message per field, in words an auditor can act on, each keyed by the JSON
 * pointer of the field so a form can show it beside the field and link to it from an error summary.
 */
export function describeResponseErrors(
  framework: Framework,
  errors: readonly ErrorObject[],
  response: unknown,
): FieldError[] {
  const byField = new Map<string, FieldError>();
  for (const error of errors) {
    const described = describe(framework, error, response);
    if (described && !byField.has(described.field)) byField.set(described.field, described);
  }
  return [...byField.values()];
}
