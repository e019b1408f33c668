import { AppError } from '../errors';
import { anchorOf, fieldView, type Field, type FieldErrors } from '../http/form-fields';

export type AdminField = Field;

/** What a form page renders: each field's view, and the error summary in the order of the fields. */
export function formView(fields: readonly AdminField[], errors: FieldErrors = {}) {
  return {
    fields: fields.map((field) => fieldView(field, errors)),
    errorList: fields
      .filter((field) => errors[field.name])
      .map((field) => ({ field: anchorOf(field), message: errors[field.name] as string })),
  };
}

/**
 * The field errors of a refused change, keyed by the form's field names, with plain messages where the
 * check's own are terse ("must be a valid email"); a refusal that is not about the input is rethrown.
 */
export function formErrorsOf(
  err: unknown,
  messages: Record<string, string>,
  fallbackField: string,
): { status: number; errors: FieldErrors } {
  if (!(err instanceof AppError) || (err.status !== 409 && err.status !== 422)) throw err;
  const errors: FieldErrors = {};
  for (const { field, message } of err.fieldErrors) {
    const name = field.split('.')[0] ?? field;
    const key = name in messages ? name : fallbackField;
    errors[key] ??= /^(must|is required|is not)/.test(message) ? (messages[key] ?? message) : message;
  }
  if (Object.keys(errors).length === 0) errors[fallbackField] = err.message;
  return { status: err.status, errors };
}
