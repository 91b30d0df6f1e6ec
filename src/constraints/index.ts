/** Argument constraints: compile once, check per call. */
export { compileConstraints, type PathBases } from './compile.js';
export type { CompiledConstraints, ConstraintBreach, ConstraintEdge, ConstraintSpec, StatementKind, ToolConstraints } from './types.js';
export { STATEMENT_KINDS } from './types.js';
