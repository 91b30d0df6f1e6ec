/** Asking a person before a call runs: the API the engine (and any rule that says `ask`) uses. */
export { requestApproval, INPUT_KEY, QUESTION_ID_PREFIX, type AskInput } from './ask.js';
export { answerQuestion, cancelHeld, expireHeld, failHeld } from './answers.js';
export { readRetry, type RetryRead } from './retry.js';
export { mentionsApproval } from './guard.js';
export { approvalsOf, bindApprovalEdge, isHeldCall, isQuestionId, nextDeadline } from './session.js';
export { supportsFormElicitation } from './elicitation.js';
export { argumentsHash, bindingOf, CODE_PATTERN } from './binding.js';
export type { ApprovalAction, ApprovalDecision, ApprovalEdge, ApprovalEvents, ApprovalStore, AskRequest, Binding, GrantedApproval, PendingCode } from './types.js';
