/**
 * Where a string sits, spelled as in Finding.path: `options.url`, `paths[1]`, a key as
 * `options{url}`, and a JSON document inside a string as `config>servers[0].url`.
 */

/** A container's place, and what joins a named child to it ('' at the top, '>' inside a string's JSON). */
export interface Place {
  path: string;
  glue: '' | '.' | '>';
}

/** The top of the arguments. */
export const TOP: Place = { path: '', glue: '' };

// Key names in paths are cut: a megabyte-long key must not be copied into every path below it.
const MAX_KEY_IN_PATH = 48;
// [A-Za-z0-9_$-], by ASCII code unit.
const KEY_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$-') KEY_CHAR[c.charCodeAt(0)] = 1;

/** Whether every character of `key` is one of [A-Za-z0-9_$-] (/^[A-Za-z0-9_$-]*$/, read without a regex run per key). */
export function plainKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 128 || KEY_CHAR[c] !== 1) return false;
  }
  return true;
}

// Outside printable ASCII, keys are escaped: a path must not carry hidden characters into logs.
const NOT_PRINTABLE = /[^\x20-\x7e]/g;

/** A key as shown in a path: plain names bare, anything else quoted and escaped. */
export function showKey(key: string): string {
  if (key.length > 0 && key.length <= MAX_KEY_IN_PATH && plainKey(key)) return key;
  const quoted = JSON.stringify(key.slice(0, MAX_KEY_IN_PATH)).replace(NOT_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return key.length > MAX_KEY_IN_PATH ? `${quoted}…` : quoted;
}

/** The place of the value under `key`. */
export function childOf(place: Place, key: string): Place {
  return childShown(place, showKey(key));
}

/** childOf for a key already shown (showKey). */
export function childShown(place: Place, shown: string): Place {
  return { path: `${place.path}${place.glue}${shown}`, glue: '.' };
}

/** The place of array element `index`. */
export function elementOf(place: Place, index: number): Place {
  return { path: `${place.path}${place.glue === '>' ? '>' : ''}[${index}]`, glue: '.' };
}

/** The path of the key string `key` itself. */
export function keyPath(place: Place, key: string): string {
  return keyPathShown(place, showKey(key));
}

/** keyPath for a key already shown (showKey). */
export function keyPathShown(place: Place, shown: string): string {
  return `${place.path}${place.glue === '>' ? '>' : ''}{${shown}}`;
}

/** The place of a JSON document parsed out of the string at `path`. */
export function insideString(path: string): Place {
  return { path, glue: '>' };
}

/** The path of a scalar at `place` (the top itself is shown as `$`). */
export function valuePath(place: Place): string {
  return place.path === '' ? '$' : place.path;
}
