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

/** Worked out once per framework document (loaded documents are never changed), as every save reads it. */
const blocksByDocument = new WeakMap<
  readonly unknown[],
  { sections: number; blocks: readonly BlockEntry[] }
>();
const blockOfQuestionByDocument = new WeakMap<readonly unknown[], ReadonlyMap<string, BlockEntry>>();
const blockByIdByDocument = new WeakMap<readonly unknown[], ReadonlyMap<string, BlockEntry>>();

/** Sections and their parts, flattened in order: each section, then its parts. */
export function blocksOf(framework: Pick<FrameworkDocument, 'sections'>): readonly BlockEntry[] {
  const known = blocksByDocument.get(framework.sections);
  // A document still being built (sections added since) is worked out again.
  if (known && known.sections === framework.sections.length) return known.blocks;
  const blocks = Object.freeze(
    framework.sections.flatMap((section) => [
      { block: section, grading: gradingOf(section) },
      ...(section.parts ?? []).map((part) => ({
        block: part,
        parentId: section.id,
        grading: gradingOf(part),
      })),
    ]),
  );
  blocksByDocument.set(framework.sections, { sections: framework.sections.length, blocks });
  return blocks;
}

/**
 * The blocks by key, each key to the first block `keysOf` gives it for: worked out once per document and
 * kept in `cache`.
 */
function blockIndex(
  cache: WeakMap<readonly unknown[], ReadonlyMap<string, BlockEntry>>,
  framework: Pick<FrameworkDocument, 'sections'>,
  keysOf: (entry: BlockEntry) => string[],
): ReadonlyMap<string, BlockEntry> {
  const blocks = blocksOf(framework);
  const known = cache.get(blocks);
  if (known) return known;
  const map = new Map<string, BlockEntry>();
  for (const entry of blocks) for (const key of keysOf(entry)) if (!map.has(key)) map.set(key, entry);
  cache.set(blocks, map);
  return map;
}

/** The section or part a question is in. */
export const blockOfQuestionIn = (
  framework: Pick<FrameworkDocument, 'sections'>,
  questionId: string,
): BlockEntry | undefined =>
  blockIndex(blockOfQuestionByDocument, framework, (entry) => entry.block.questions.map((q) => q.id)).get(
    questionId,
  );

/** The section or part with this id (the first, should a part share a section's id). */
export const blockByIdIn = (
  framework: Pick<FrameworkDocument, 'sections'>,
  blockId: string,
): BlockEntry | undefined =>
  blockIndex(blockByIdByDocument, framework, (entry) => [entry.block.id]).get(blockId);

/** Every question in order: a section's own questions, then its parts' questions, then the next section. */
export function questionsInOrder(framework: Pick<FrameworkDocument, 'sections'>): Question[] {
  return blocksOf(framework).flatMap((entry) => entry.block.questions);
}

/** Whether any condition of the framework (on a section, part or question) reads the case's facts. */
export const readsCaseFacts = (framework: Pick<FrameworkDocument, 'sections'>): boolean =>
  blocksOf(framework).some(
    ({ block }) => readsCase(block.relevantWhen) || block.questions.some((q) => readsCase(q.relevantWhen)),
  );
