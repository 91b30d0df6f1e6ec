/** Pick the config file to edit: the one given, or the first of the client's candidates that exists. */
import path from 'node:path';
import { VanguardError } from '../errors.js';
import { configCandidates, type ClientId, type Environment } from './locations.js';

/** The absolute path of the file to edit; throws naming every place looked at. */
export function locateConfig(client: ClientId, given: string | undefined, e: Environment, exists: (file: string) => boolean): string {
  if (given !== undefined) {
    const file = path.resolve(e.cwd, given);
    if (!exists(file)) throw new VanguardError('CLIENT_CONFIG', `no config file at ${file}`, 1);
    return file;
  }
  const candidates = configCandidates(client, e);
  const found = candidates.find((c) => exists(c.file));
  if (found) return found.file;
  const looked = candidates.map((c) => `  ${c.file} (${c.scope})`).join('\n');
  throw new VanguardError('CLIENT_CONFIG', `no ${client} config file found; looked at:\n${looked}\nGive the file with --config FILE`, 1);
}
