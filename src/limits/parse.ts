/** Reading the rate and duration strings of `limits` (`600/min`, `5m`). */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, sec: 1_000, second: 1_000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 };

/** A rate: so many calls per period. */
export interface Rate {
  count: number;
  periodMs: number;
  text: string;
}

/** `600/min` -> 600 per 60 000 ms; undefined when not a rate. */
export function parseRate(text: string): Rate | undefined {
  const m = /^([1-9][0-9]{0,8})\/(s|sec|second|m|min|minute|h|hour)$/.exec(text);
  if (!m) return undefined;
  return { count: Number(m[1]), periodMs: UNIT_MS[m[2] as string] as number, text };
}

/** `5m` -> 300 000 ms; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^([1-9][0-9]{0,8})(ms|s|m|h)$/.exec(text);
  return m ? Number(m[1]) * (UNIT_MS[m[2] as string] as number) : undefined;
}

/** A time for a message: ISO 8601 in UTC, to the second. */
export function formatTime(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A wait for a message: `12 s`, `3 min 5 s`. */
export function formatWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}
