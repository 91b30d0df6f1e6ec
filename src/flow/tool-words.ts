/**
 * What a tool's name says it does, read word by word (`gmail_send_message`, `printEnv`,
 * `browser-navigate`): whole words only, so `postgres_query` is not a post and
 * `search_files` is not a web search.
 */

/** The lower-case words of a tool name: split at `_ - . /`, spaces and camelCase humps. */
export function toolWords(name: string): ReadonlySet<string> {
  const spaced = name.slice(0, 200).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return new Set(spaced.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
}

/** What a tool's name alone says, read once per name (see {@link nameFacts}). */
export interface NameFacts {
  words: ReadonlySet<string>;
  dumpsSecrets: boolean;
  sendsOut: boolean;
  runsCommands: boolean;
  changesThings: boolean;
  readsOpenWorld: boolean;
}

// Every call of a session names one of a few tools: what the name says is read once. Keyed
// by the part of the name toolWords reads, so the cache holds at most 200 characters a name.
const NAME_CACHE_SIZE = 1024;
const nameCache = new Map<string, NameFacts>();

/** What the name says, cached: the same answers as the functions below, read once per name. Pure. */
export function nameFacts(name: string): NameFacts {
  const key = name.slice(0, 200);
  let facts = nameCache.get(key);
  if (facts === undefined) {
    const words = toolWords(key);
    facts = { words, dumpsSecrets: dumpsSecrets(words), sendsOut: sendsOut(words), runsCommands: runsCommands(words), changesThings: changesThings(words), readsOpenWorld: readsOpenWorld(words) };
    if (nameCache.size >= NAME_CACHE_SIZE) nameCache.clear();
    nameCache.set(key, facts);
  }
  return facts;
}

const any = (words: ReadonlySet<string>, list: readonly string[]) => list.some((w) => words.has(w));

// Reading verbs: what turns a noun (env, secret, mail) into a dump of it.
const READ_VERBS = ['get', 'read', 'list', 'dump', 'show', 'print', 'export', 'fetch', 'retrieve', 'view', 'cat', 'search', 'query'];

/** An environment or credential dump: `get-env`, `printEnv`, `list_secrets`, `read_credentials`. */
export function dumpsSecrets(words: ReadonlySet<string>): boolean {
  if (any(words, ['printenv', 'environ'])) return true;
  const noun = any(words, ['env', 'environment', 'envs', 'secret', 'secrets', 'credential', 'credentials', 'creds', 'password', 'passwords', 'keychain', 'vault', 'apikey', 'apikeys']);
  return noun && (any(words, READ_VERBS) || words.size === 1);
}

// Content from the web or an inbox: written by anyone, read by the model.
const OPEN_WORLD = ['fetch', 'browse', 'browser', 'navigate', 'scrape', 'crawl', 'crawler', 'web', 'webpage', 'url', 'http', 'download', 'curl', 'wget', 'rss', 'feed'];
const MAIL = ['mail', 'email', 'emails', 'gmail', 'inbox', 'outlook', 'imap'];
// A search of something local is not the open world.
const LOCAL = ['file', 'files', 'code', 'directory', 'dir', 'repo', 'repository', 'symbol', 'symbols', 'local', 'path', 'paths', 'nodes', 'memory', 'text', 'grep', 'history'];

/** Fetch, browse, web-search and mail-reading tools: their results come from the open world. */
export function readsOpenWorld(words: ReadonlySet<string>): boolean {
  if (any(words, OPEN_WORLD)) return true;
  if (any(words, MAIL) && (any(words, READ_VERBS) || words.has('messages') || words.has('message'))) return !sendsOut(words);
  return words.has('search') && !any(words, LOCAL);
}

const SEND = ['send', 'post', 'upload', 'webhook', 'webhooks', 'publish', 'share', 'notify', 'tweet', 'reply', 'forward', 'push', 'transmit', 'submit', 'sms', 'slack', 'exfiltrate'];

/** Send, post, upload, mail and webhook tools: what they are given leaves the machine. */
export function sendsOut(words: ReadonlySet<string>): boolean {
  if (any(words, SEND)) return true;
  // A mail tool that does not read (`email`, `compose_mail`) sends.
  return any(words, MAIL) && !any(words, READ_VERBS);
}

const EXEC = ['exec', 'execute', 'shell', 'bash', 'sh', 'zsh', 'terminal', 'command', 'commands', 'cmd', 'powershell', 'pwsh', 'spawn', 'subprocess', 'eval', 'repl'];
const RUNNABLE = ['code', 'script', 'program', 'process', 'python', 'node', 'js', 'javascript', 'ruby', 'perl'];

/** Shell, terminal and code-running tools. */
export function runsCommands(words: ReadonlySet<string>): boolean {
  return any(words, EXEC) || (words.has('run') && any(words, RUNNABLE));
}

const WRITE = ['write', 'edit', 'move', 'mv', 'rename', 'delete', 'remove', 'rm', 'unlink', 'save', 'append', 'patch', 'overwrite', 'create', 'mkdir', 'put', 'update', 'replace', 'insert', 'modify', 'set', 'chmod'];

/** Write, edit, move and delete tools. */
export function changesThings(words: ReadonlySet<string>): boolean {
  return any(words, WRITE);
}
