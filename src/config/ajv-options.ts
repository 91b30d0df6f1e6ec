/**
 * The ajv options for policies/schema.json, shared by the build's precompiled validator
 * (scripts/schema-validator.mjs) and the run-time fallback (schema.ts).
 * validateSchema is off: compiling the draft-07 meta-schema would cost ~125 ms per start;
 * a test checks the schema against it instead.
 */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, validateSchema: false } as const;
