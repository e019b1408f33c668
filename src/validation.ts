import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { ValidationError, type FieldError } from './errors';

/** One ajv instance for the whole application: schemas are compiled once, when their module loads. */
export const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false });
addFormats(ajv);

function fieldOf(error: ErrorObject): string {
  const base = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return base ? `${base}.${extra}` : extra;
  }
  return base || '(input)';
}

function messageOf(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field this accepts';
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'format':
      return `must be a valid ${(error.params as { format: string }).format}`;
    default:
      return error.message ?? 'is not valid';
  }
}

/** A JSON object (not null, not an array): what a request body or a response must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map((error) => ({ field: fieldOf(error), message: messageOf(error) }));
}

/**
 * The one convention for request schemas: a schema written `as const` is compiled here, and the type of
 * what it accepts is derived from it (`FromSchema<typeof schema>`, also the validator's type), so the
 * schema and the type cannot drift apart.
 */
export function compile<const S extends JSONSchema, T = FromSchema<S>>(schema: S): ValidateFunction<T> {
  return ajv.compile<T>(schema as object);
}

export type { FromSchema };

/** Returns `data` typed when it matches, or throws a ValidationError naming every field that does not. */
export function validate<T>(validator: ValidateFunction<T>, data: unknown, what: string): T {
  if (validator(data)) return data;
  throw new ValidationError(`The ${what} is not valid.`, toFieldErrors(validator.errors));
}
