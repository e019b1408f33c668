import { readsCase } from './conditions';
import type { FrameworkDocument, GradedBlock, Grading, Part, Question, Section } from './types';

/** A section or a part, with the section it belongs to (parts only) and its grading made explicit. */
export interface BlockEntry {
  block: Section | Part;
  /** The id of the section a part belongs to; absent for sections. */
  parentId?: string;
  grading: Grading;
}

/** A block's grading: `grading` when given, else `graded: false` means none, else required. */
export const gradingOf = (block: GradedBlock): Grading =>
  block.grading ?? (block.graded === false ? 'none' : 'required');

/** Sections and their parts, flattened in order: each section, then its parts. */
export function blocksOf(framework: Pick<FrameworkDocument, 'sections'>): BlockEntry[] {
  return framework.sections.flatMap((section) => [
    { block: section, grading: gradingOf(section) },
    ...(section.parts ?? []).map((part) => ({ block: part, parentId: section.id, grading: gradingOf(part) })),
  ]);
}

/** Every question in order: a section's own questions, then its parts' questions, then the next section. */
export function questionsInOrder(framework: Pick<FrameworkDocument, 'sections'>): Question[] {
  return blocksOf(framework).flatMap((entry) => entry.block.questions);
}

/** Whether any condition of the framework (on a section, part or question) reads the case's facts. */
export const readsCaseFacts = (framework: Pick<FrameworkDocument, 'sections'>): boolean =>
  blocksOf(framework).some(
    ({ block }) => readsCase(block.relevantWhen) || block.questions.some((q) => readsCase(q.relevantWhen)),
  );
