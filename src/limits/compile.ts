/**
 * Rate limits as token buckets (a rate of N per period holds N calls and refills
 * continuously), so memory is constant whatever the rate; lockout as a log of refusal
 * times, at most `blocks` long. Time comes only from the injected clock.
 */
import micromatch from 'micromatch';
import { formatTime, formatWait, parseDuration, parseRate, type Rate } from './parse.js';
import type { CompiledLimits, LimitBreach, LimitsSpec } from './types.js';

interface Bucket {
  tokens: number;
  at: number;
}

interface SessionLimits {
  buckets: Map<string, Bucket>;
  refusals: number[];
  lockedUntil: number;
}

interface NamedRate {
  key: string;
  label: string;
  rate: Rate;
  matches(tool: string): boolean;
}

const DEFAULT_WINDOW_MS = 60_000;
const DEFAULT_COOLDOWN_MS = 300_000;

/** Compile `limits.rate` and `limits.lockout`; `nowMs` is the wall clock, injected. */
export function compileLimits(spec: LimitsSpec | undefined, nowMs: () => number): CompiledLimits {
  const rates: NamedRate[] = [];
  const session = spec?.rate?.session !== undefined ? parseRate(spec.rate.session) : undefined;
  if (session) rates.push({ key: 'session', label: 'this session', rate: session, matches: () => true });
  for (const [glob, text] of Object.entries(spec?.rate?.tools ?? {})) {
    const rate = parseRate(text);
    const matcher = micromatch.matcher(glob, { dot: true, nonegate: true, noextglob: true, strictBrackets: true });
    if (rate) rates.push({ key: `tool:${glob}`, label: `tools matching "${glob}"`, rate, matches: matcher });
  }
  const lockout = spec?.lockout;
  const windowMs = (lockout?.window !== undefined ? parseDuration(lockout.window) : undefined) ?? DEFAULT_WINDOW_MS;
  const cooldownMs = (lockout?.cooldown !== undefined ? parseDuration(lockout.cooldown) : undefined) ?? DEFAULT_COOLDOWN_MS;
  const states = new WeakMap<object, SessionLimits>();
  const stateOf = (s: object): SessionLimits => {
    let st = states.get(s);
    if (!st) states.set(s, (st = { buckets: new Map(), refusals: [], lockedUntil: -Infinity }));
    return st;
  };

  return {
    active: rates.length > 0 || lockout !== undefined,
    admit(s, tool): LimitBreach | undefined {
      if (rates.length === 0 && !lockout) return undefined;
      const now = nowMs();
      const st = stateOf(s);
      if (lockout && now < st.lockedUntil) {
        return {
          ruleId: 'limits.lockout',
          reason: `every tool call of this session is refused until ${formatTime(st.lockedUntil)} (in ${formatWait(st.lockedUntil - now)}): ${lockout.blocks} calls were refused within ${formatWait(windowMs)}, which looks like probing the policy.`,
          detail: { until: formatTime(st.lockedUntil), blocks: lockout.blocks, windowMs, cooldownMs },
        };
      }
      const applying = rates.filter((r) => r.matches(tool));
      const buckets = applying.map((r) => {
        const old = st.buckets.get(r.key) ?? { tokens: r.rate.count, at: now };
        const refill = ((now - old.at) / r.rate.periodMs) * r.rate.count;
        return { r, bucket: { tokens: Math.min(r.rate.count, old.tokens + Math.max(0, refill)), at: Math.max(now, old.at) } };
      });
      const over = buckets.find((b) => b.bucket.tokens < 1);
      if (over) {
        const waitMs = ((1 - over.bucket.tokens) / over.r.rate.count) * over.r.rate.periodMs;
        for (const b of buckets) st.buckets.set(b.r.key, b.bucket);
        return {
          ruleId: 'limits.rate',
          reason: `${over.r.label} may make at most ${over.r.rate.text} tool calls; retry in ${formatWait(waitMs)} (after ${formatTime(now + waitMs)}).`,
          detail: { rate: over.r.rate.text, scope: over.r.key, retryAfterMs: Math.ceil(waitMs) },
        };
      }
      for (const b of buckets) st.buckets.set(b.r.key, { tokens: b.bucket.tokens - 1, at: b.bucket.at });
      return undefined;
    },
    noteRefusal(s) {
      if (!lockout) return;
      const now = nowMs();
      const st = stateOf(s);
      st.refusals = st.refusals.filter((t) => now - t < windowMs);
      st.refusals.push(now);
      if (st.refusals.length >= lockout.blocks) {
        st.lockedUntil = now + cooldownMs;
        st.refusals = [];
      }
    },
  };
}
