/**
 * Parameters that ask for the model's own context (issue 12, schema exfiltration): an input
 * named for the model's tool list, its system prompt or instructions, the conversation so
 * far, or the environment, on a tool whose name and description never speak of such things.
 * A model fills every parameter it is given, so the name alone is the request: no sentence
 * in the definition has to say "put your system prompt here". A summariser of conversations
 * that takes a `conversation` says so in its description and is reported at low only.
 */
import type { Finding } from '../types.js';
import { parameterNames } from './texts.js';

export const CONTEXT_PARAMETER_RULE = 'definition.context-parameter';

// Parameter names, lower case with _ - . and spaces removed, that name the model's context.
const CONTEXT_NAMES = new Set([
  // its tools
  'toolslist', 'toollist', 'availabletools', 'alltools', 'toolnames', 'tooldefinitions', 'tooldescriptions', 'toolschemas', 'listoftools', 'functionslist', 'functionlist', 'availablefunctions', 'allfunctions',
  // its instructions
  'systemprompt', 'systemmessage', 'systeminstructions', 'assistantinstructions', 'yourinstructions', 'modelinstructions', 'initialprompt', 'hiddenprompt', 'originalprompt', 'fullprompt', 'developerprompt', 'developerinstructions',
  // the conversation
  'conversation', 'conversationhistory', 'conversationlog', 'fullconversation', 'chathistory', 'chatlog', 'previousmessages', 'priormessages', 'pastmessages', 'messagehistory', 'allmessages', 'dialoguehistory', 'dialoghistory', 'contextwindow',
  // the machine's environment
  'envvars', 'environmentvariables', 'envvariables', 'allenv', 'processenv', 'environ', 'shellenvironment',
]);

// A tool that speaks of any of these has a reason to ask for them.
const RELATED = /\b(?:tools?|functions?|prompts?|instructions?|conversations?|chats?|messages?|history|dialog(?:ue)?s?|transcripts?|context|memory|llm|models?|assistants?|agents?|env|environment|variables?)\b/;

const normal = (name: string): string => name.toLowerCase().replace(/[\s_.-]+/g, '');

/** Findings for parameters named for the model's context; `own` is the tool's folded name and description. */
export function contextParameters(definition: unknown, own: string): Finding[] {
  const findings: Finding[] = [];
  const related = RELATED.test(own);
  for (const name of parameterNames(definition)) {
    if (!CONTEXT_NAMES.has(normal(name))) continue;
    findings.push({
      ruleId: CONTEXT_PARAMETER_RULE,
      category: 'prompt-injection',
      severity: related ? 'low' : 'high',
      path: `inputSchema.properties.${name}`,
      evidence: name,
      message: related
        ? `A parameter (${name}) asks for the model's own context; the tool says it works with such content.`
        : `A parameter (${name}) asks for the model's own context (its tools, instructions, conversation or environment), which this tool has no stated use for.`,
    });
  }
  return findings;
}
