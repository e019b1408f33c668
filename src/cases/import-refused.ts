import { AppError } from '../errors';
import type { ImportOutcome } from './import-service';

/**
 * A case list that was refused, as the API answers it: 422 problem details whose extension members are the
 * import's outcome (its id, the sheets read, the problems with sheet, line, column and value), written out by
 * the one error handler like every other refusal.
 */
export class ImportRefusedError extends AppError {
  constructor(outcome: ImportOutcome) {
    const { status: importStatus, ...details } = outcome;
    const { problemCount, problems } = outcome;
    super(
      422,
      'The case list was refused',
      `${problemCount} problem${problemCount === 1 ? '' : 's'}: nothing was imported. The first ${problems.length} are listed.`,
      [],
      { importStatus, ...details },
    );
  }
}
