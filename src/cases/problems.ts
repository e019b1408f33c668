import { PROBLEM_LIMIT, type ImportProblem } from './types';

/** Keeps the first PROBLEM_LIMIT problems and counts them all. */
export class Problems {
  items: ImportProblem[] = [];
  count = 0;
  /** Problems that make the whole file unusable whatever the mode (a header, the file itself). */
  fatal = false;

  add(...problems: ImportProblem[]): void {
    this.count += problems.length;
    for (const p of problems) if (this.items.length < PROBLEM_LIMIT) this.items.push(p);
  }

  /** Counts problems found but not listed (a query gives the first few and how many in all). */
  addUnlisted(count: number): void {
    this.count += count;
  }

  /**
   * Joins the problems of the whole-file checks (repeated children, unknown teams) to the row problems, in
   * file order: both kinds are listed even when row problems alone would fill the list, which stays at most
   * PROBLEM_LIMIT long.
   */
  merge(other: Problems, sheetOrder: readonly string[]): void {
    const share = Math.min(
      other.items.length,
      Math.max(PROBLEM_LIMIT - this.items.length, Math.floor(PROBLEM_LIMIT / 2)),
    );
    const own = Math.min(this.items.length, PROBLEM_LIMIT - share);
    const position = (p: ImportProblem) => [
      p.line === null ? -1 : sheetOrder.indexOf(p.sheet ?? ''),
      p.line ?? -1,
    ];
    this.items = [...this.items.slice(0, own), ...other.items.slice(0, share)].sort((a, b) => {
      const [sa = 0, la = 0] = position(a);
      const [sb = 0, lb = 0] = position(b);
      return sa - sb || la - lb;
    });
    this.count += other.count;
  }
}
