/**
 * The policy loader: YAML/JSON policy files to a CompiledPolicy for the engine.
 * Phases: parse (with positions), expand variables, schema, meaning, merge, compile.
 */
export type {
  AuditArgumentsMode,
  BlockResponseMode,
  CompiledPolicy,
  PolicyDocument,
  PolicyMode,
  ToolAction,
  ToolActionSpec,
  ToolVerdict,
} from './policy-types.js';
export { formatIssue, type PolicyIssue } from './issues.js';
export { defaultPresetsDir, nodePolicyIO, type PolicyIO } from './io.js';
export { loadPolicy, type LoadResult } from './load.js';
export { compilePolicy, VERDICT_CACHE_LIMIT } from './compile.js';
export { renderEffectivePolicy } from './render.js';
export { DEFAULTS, mergePolicies } from './merge.js';
export { TOOL_GLOB_OPTIONS, KEY_GLOB_OPTIONS } from './globs.js';
