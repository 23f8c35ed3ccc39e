import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** schemas/plan.schema.json, from the repository root (this file is in test/helpers/). */
export const PLAN_SCHEMA_PATH = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'schemas', 'plan.schema.json');

/** schemas/stack-plan.schema.json: the plan of `stack deploy` and `stack rm`. */
export const STACK_PLAN_SCHEMA_PATH = join(dirname(PLAN_SCHEMA_PATH), 'stack-plan.schema.json');

const validators = new Map<string, ValidateFunction>();

function validatorFor(path: string): ValidateFunction {
  let validator = validators.get(path);
  if (!validator) {
    // ajv is CommonJS: under ESM its class may sit on `.default`.
    const AjvClass = (Ajv as any).default ?? Ajv;
    const ajv = new AjvClass({ strict: true, allowUnionTypes: true, allErrors: true });
    validator = ajv.compile(JSON.parse(readFileSync(path, 'utf8'))) as ValidateFunction;
    validators.set(path, validator);
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
export function assertValidPlan(plan: unknown, schemaPath = PLAN_SCHEMA_PATH): void {
  const validate = validatorFor(schemaPath);
  if (validate(plan)) return;
  const errors = (validate.errors ?? []).map(formatError);
  throw new Error(`plan does not match schemas/${basename(schemaPath)} (${errors.length} error${errors.length === 1 ? '' : 's'}):\n  ${errors.join('\n  ')}`);
}

/** Throws when `plan` is not a valid stack plan (schemas/stack-plan.schema.json). */
export function assertValidStackPlan(plan: unknown): void {
  assertValidPlan(plan, STACK_PLAN_SCHEMA_PATH);
}
