import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** schemas/plan.schema.json, from the repository root (this file is in test/helpers/). */
export const PLAN_SCHEMA_PATH = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'schemas', 'plan.schema.json');

let validator: ValidateFunction | undefined;

function planValidator(): ValidateFunction {
  if (!validator) {
    // ajv is CommonJS: under ESM its class may sit on `.default`.
    const AjvClass = (Ajv as any).default ?? Ajv;
    const ajv = new AjvClass({ strict: true, allowUnionTypes: true, allErrors: true });
    validator = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_PATH, 'utf8'))) as ValidateFunction;
  }
  return validator;
}

function formatError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  let detail = '';
  if (typeof params.additionalProperty === 'string') detail = `: ${JSON.stringify(params.additionalProperty)}`;
  else if (Array.isArray(params.allowedValues)) detail = `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  else if (error.keyword === 'const') detail = `: ${JSON.stringify(params.allowedValue)}`;
  return `${where} ${error.message ?? error.keyword}${detail}`;
}

/** Throws an Error listing every schema error when `plan` is not a valid plan (schemas/plan.schema.json). */
export function assertValidPlan(plan: unknown): void {
  const validate = planValidator();
  if (validate(plan)) return;
  const errors = (validate.errors ?? []).map(formatError);
  throw new Error(`plan does not match schemas/plan.schema.json (${errors.length} error${errors.length === 1 ? '' : 's'}):\n  ${errors.join('\n  ')}`);
}
