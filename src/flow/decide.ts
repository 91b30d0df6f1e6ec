/**
 * The flow decision on one call: given the labels the call carries and what the session
 * remembers, which rule (if any) stops it. Pure: the time is passed in, nothing changes.
 */
import { formatWait } from '../limits/parse.js';
import type { Labelled } from './call-labels.js';
import type { FlowMemory } from './state.js';
import type { CompiledFlow, FlowAction, FlowDecision, FlowRule, LabelEvent } from './types.js';

const STRENGTH: Readonly<Record<FlowAction, number>> = { warn: 0, ask: 1, block: 2 };

// What the model is told, per default rule, when the policy gives no reason of its own.
const ADVICE = 'tell the user what you were about to do and why, and let them decide';

/** How long ago an event was, for a message: `12 s`, `3 min 5 s`. */
export function agoText(event: LabelEvent, nowUs: number): string {
  const us = Math.max(0, nowUs - event.atUs);
  return us < 1_000_000 ? 'less than a second' : formatWait(us / 1_000);
}

/** The earlier event, described for the model and the audit. */
export function describeEvent(event: LabelEvent, nowUs: number): Record<string, unknown> {
  return { tool: event.tool, label: event.label, source: event.source, why: event.why, atUs: event.atUs, agoMs: Math.round(Math.max(0, nowUs - event.atUs) / 1_000) };
}

function ruleReason(rule: FlowRule, event: LabelEvent, labelled: readonly Labelled[], nowUs: number): string {
  const which = labelled.filter((l) => rule.then.has(l.label)).map((l) => `${l.label}: ${l.why}`).join('; ');
  const by = `${event.source === 'result' ? 'the result of' : 'the call to'} "${event.tool}" ${agoText(event, nowUs)} ago (${event.why})`;
  const own = rule.reason?.trim().replace(/[.!?]$/, '');
  return `this call (${which}) comes after ${by} put "${event.label}" on the session; ${own ?? ADVICE}`;
}

/** The rule that stops this call, the strongest when several fire (block over ask over warn); undefined when none does. */
export function decideFlow(flow: CompiledFlow, memory: FlowMemory, labelled: readonly Labelled[], nowUs: number): FlowDecision | undefined {
  // (Most calls carry no label: nothing to decide, and no list of their names made for it.)
  if (!flow.active || labelled.length === 0) return undefined;
  const labels = labelled.map((l) => l.label);
  if (memory.full && labels.some((l) => flow.rules.some((r) => r.then.has(l)) || flow.burst?.labels.has(l))) {
    return {
      action: 'block',
      rule: 'flow.state-full',
      reason: 'this session has put more kinds of labels on itself than Vanguard can remember, so calls its flow rules cover are refused; start a new session',
      labels,
      detail: { labels },
    };
  }
  let best: FlowDecision | undefined;
  for (const rule of flow.rules) {
    if (!labels.some((l) => rule.then.has(l))) continue;
    const event = memory.latest.get(rule.after);
    if (event === undefined) continue;
    if (rule.withinUs !== undefined && nowUs - event.atUs > rule.withinUs) continue;
    if (best !== undefined && STRENGTH[best.action] >= STRENGTH[rule.action]) continue;
    best = {
      action: rule.action,
      rule: rule.id,
      reason: ruleReason(rule, event, labelled, nowUs),
      labelledBy: event,
      labels,
      detail: { labels, after: describeEvent(event, nowUs), ...(rule.within !== undefined && { within: rule.within }) },
    };
  }
  const burst = flow.burst;
  if (burst && labels.some((l) => burst.labels.has(l))) {
    const recent = memory.burst.filter((t) => nowUs - t <= burst.withinUs).length;
    if (recent + 1 > burst.max && (best === undefined || STRENGTH[burst.action] > STRENGTH[best.action])) {
      const kinds = [...burst.labels].join('/');
      best = {
        action: burst.action,
        rule: burst.id,
        reason: `this would be call ${recent + 1} labelled ${kinds} within ${burst.within}, more than the ${burst.max} the policy allows; slow down and ${ADVICE}`,
        labels,
        detail: { labels, count: recent + 1, max: burst.max, within: burst.within },
      };
    }
  }
  return best;
}
