/** Contexts, strings and a fake file system for the path detector's tests. */
import { pathDetector } from '../../../src/inspect/detectors/paths/index.js';
import type { ArgumentKind, Finding, InspectContext, InspectedString, PathContext } from '../../../src/inspect/types.js';

/** The default test context: cwd /srv/data, home /home/user, no roots, no deny, realpath = identity. */
export function pathContext(over: Partial<PathContext> = {}): PathContext {
  return { roots: [], deny: [], cwd: '/srv/data', home: '/home/user', realpath: (p) => p, ...over };
}

/** A value string under `key`, with the given decoded variants. */
export function str(raw: string, variants: InspectedString['variants'] = [], key = 'path', path = key): InspectedString {
  return { path, key, isKey: false, raw, variants };
}

/** Run the detector; every string is a path unless `kinds` says otherwise. */
export function detect(strings: InspectedString[], paths: PathContext = pathContext(), kinds: ArgumentKind[] = ['path', 'text']): Finding[] {
  const ctx: InspectContext = {
    tool: 'read_file',
    kindsOf: () => new Set(kinds),
    paths,
    network: { allowHosts: [], denyHosts: [] },
  };
  return pathDetector.inspect(strings, ctx);
}

/** The rule ids that fire for one raw path. */
export function rulesFor(raw: string, paths?: PathContext): string[] {
  return detect([str(raw)], paths).map((f) => f.ruleId).sort();
}

/**
 * A tiny POSIX file system: the paths that exist, and symlinks (link → absolute target).
 * Its realpath walks part by part like the real one, and answers undefined for a missing path.
 */
export function fakeRealpath(existing: string[], links: Record<string, string> = {}): PathContext['realpath'] {
  const exists = new Set(existing);
  const walk = (path: string, hops: number): string | undefined => {
    if (hops > 40) return undefined;
    let current = '';
    const parts = path.split('/').filter((p) => p !== '');
    for (let i = 0; i < parts.length; i++) {
      const next = `${current}/${parts[i]}`;
      const target = links[next];
      if (target !== undefined) {
        const rest = parts.slice(i + 1).join('/');
        return walk(rest === '' ? target : `${target}/${rest}`, hops + 1);
      }
      if (!exists.has(next)) return undefined;
      current = next;
    }
    return current === '' ? '/' : current;
  };
  return (path) => (path.startsWith('/') ? walk(path, 0) : undefined);
}
