import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FieldError } from '../errors';
import { describeResponseErrors } from './response-errors';
import { buildResponseSchema, type Variant } from './response-schema';
import type { Framework } from './types';

export type ResponseCheck = { ok: true } | { ok: false; errors: FieldError[] };

/**
 * Builds each framework version's response schemas (JSON Schema documents) once, and compiles each into a
 * validator on its first use: versions never change, so nothing needs invalidating. Compiling costs about
 * 0.15 ms per question (ajv generates code), so it waits until a version is actually used.
 */
export class ResponseSchemas {
  private readonly ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    // Relevance and cap rules are fragments (if/then) that name properties defined elsewhere in the schema.
    strictTypes: false,
    strictRequired: false,
    // The schemas are generated (and tested to be valid JSON Schema 2020-12), and messages are written from
    // the framework (response-errors.ts): skipping both, and code optimisation, makes compiling 3 times faster.
    validateSchema: false,
    messages: false,
    code: { optimize: false },
    inlineRefs: false,
  });
  private readonly schemas = new Map<string, Record<string, unknown>>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv, ['date']);
  }

  schema(framework: Framework, variant: Variant): Record<string, unknown> {
    const key = `${framework.id}@${framework.version}/${variant}`;
    let schema = this.schemas.get(key);
    if (!schema) {
      schema = buildResponseSchema(framework, variant);
      this.schemas.set(key, schema);
    }
    return schema;
  }

  validator(framework: Framework, variant: Variant): ValidateFunction {
    const key = `${framework.id}@${framework.version}/${variant}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(this.schema(framework, variant));
      this.validators.set(key, validate);
    }
    return validate;
  }

  check(framework: Framework, variant: Variant, response: unknown): ResponseCheck {
    const validate = this.validator(framework, variant);
    if (validate(response)) return { ok: true };
    return { ok: false, errors: describeResponseErrors(framework, validate.errors ?? [], response) };
  }
}
