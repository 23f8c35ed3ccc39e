// The floor of `config -q`: a process that only reads the file, parses it to plain data with the
// parser tscompose uses (js-yaml, core schema, merge keys) and checks it with the precompiled
// compose validator, nothing else. bench/config.mjs bundles it (as the CLI is bundled) and times
// it as a cold process beside `tscompose config -q`.
// Usage (after bundling): node bench/out/config-floor.cjs compose.yaml
import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, loadAll, mergeTag } from 'js-yaml';
import validate from '../src/generated/compose-validator.js';

const text = readFileSync(process.argv[2] ?? 'compose.yaml', 'utf8');
for (const document of loadAll(text, { schema: CORE_SCHEMA.withTags(mergeTag) })) {
  if (!validate(document)) {
    console.error(JSON.stringify(validate.errors?.[0]));
    process.exit(1);
  }
}
