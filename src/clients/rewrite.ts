/**
 * Wrap or unwrap the server entries of one config file's text. Pure: text in, text and a
 * report out; reading, backing up and writing the file are the command's job.
 */
import { VanguardError } from '../errors.js';
import { closest } from '../config/suggest.js';
import { entryShape } from './entry-shape.js';
import { allowsComments, serverMaps } from './formats.js';
import { parseJsonTree } from './json-tree.js';
import type { ClientId } from './locations.js';
import { applyEdits, type TextEdit } from './text-edit.js';
import { unwrapEntryEdits } from './unwrap-entry.js';
import { wrapEntryEdits, type WrapTarget } from './wrap-entry.js';

export type RewriteMode = 'wrap' | 'unwrap';

/** What happened to one entry; `problem` entries stop the file from being written. */
export interface EntryReport {
  /** The map it is in (`mcpServers`, `servers`, `projects["/p"].mcpServers`). */
  section: string;
  name: string;
  action: 'wrapped' | 'unwrapped' | 'left';
  note?: string;
  problem?: boolean;
}

export interface RewriteResult {
  text: string;
  entries: EntryReport[];
}

export interface RewriteRequest {
  client: ClientId;
  mode: RewriteMode;
  /** Needed to wrap. */
  target?: WrapTarget;
  /** Only these entry names; every other entry is not looked at. */
  only?: readonly string[];
}

/** Rewrite the text; throws JsonSyntaxError for a file that is not valid (JSON or JSONC). */
export function rewriteConfig(text: string, request: RewriteRequest): RewriteResult {
  const root = parseJsonTree(text, { jsonc: allowsComments(request.client) });
  const maps = serverMaps(request.client, root);
  const names = maps.flatMap((m) => m.map.members.map((e) => e.key));
  checkOnly(request.only, names, maps.map((m) => m.label));
  const wanted = request.only ? new Set(request.only) : undefined;

  const edits: TextEdit[] = [];
  const entries: EntryReport[] = [];
  for (const { label, map } of maps) {
    for (const { key: name, value } of map.members) {
      if (wanted && !wanted.has(name)) continue;
      const report = (action: EntryReport['action'], note?: string, problem = false): void => {
        entries.push({ section: label, name, action, ...(note ? { note } : {}), ...(problem ? { problem } : {}) });
      };
      const shape = entryShape(value);
      if (shape.kind === 'other') {
        report('left', shape.reason, shape.problem);
      } else if (request.mode === 'wrap') {
        if (shape.kind === 'wrapped') {
          report('left', 'already wrapped (unwrap it first to change how)');
        } else {
          edits.push(...wrapEntryEdits(text, name, shape.command, shape.args, request.target!));
          report('wrapped');
        }
      } else if (shape.kind === 'stdio') {
        report('left', 'not wrapped');
      } else {
        const result = unwrapEntryEdits(text, shape.entry, shape.shape);
        if (typeof result === 'string') report('left', result, true);
        else {
          edits.push(...result);
          report('unwrapped');
        }
      }
    }
  }
  return { text: applyEdits(text, edits), entries };
}

/** Refuse --only names that match no entry, with the nearest real name. */
function checkOnly(only: readonly string[] | undefined, names: string[], sections: string[]): void {
  if (!only) return;
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length === 0) return;
  const lines = unknown.map((n) => {
    const near = closest(n, names);
    return `no server named "${n}"${near ? ` (did you mean "${near}"?)` : ''}`;
  });
  const known = names.length > 0 ? `; the servers are: ${[...new Set(names)].join(', ')}` : ` (no servers under ${sections.join(', ') || 'the expected key'})`;
  throw new VanguardError('USAGE', `${lines.join('; ')}${known}`, 2);
}
