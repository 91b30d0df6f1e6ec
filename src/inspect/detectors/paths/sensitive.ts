/**
 * The shipped list of files no tool call should read or write, whatever the policy's roots:
 * credentials, password databases, process secrets. It is data: globs matched
 * case-insensitively (macOS and Windows file systems are) against resolved absolute paths.
 */

/** One entry: a glob, and names that look alike but are harmless (a public key, an example env file). */
export interface SensitiveEntry {
  glob: string;
  /** Basename globs that the entry does not cover. */
  except?: readonly string[];
}

/**
 * Files under a home folder. `~/` stands for every home: the server's (`PathContext.home`),
 * `/root`, `/home/*` and `/Users/*` (an attacker aims at whichever account exists).
 */
export const SENSITIVE_IN_HOME: readonly SensitiveEntry[] = [
  { glob: '~/.ssh/id_*', except: ['*.pub'] },
  { glob: '~/.ssh/authorized_keys*' },
  { glob: '~/.aws/credentials' },
  // Profiles name roles, SSO sessions and credential_process commands.
  { glob: '~/.aws/config' },
  { glob: '~/.aws/sso/cache/**' },
  // Hosts, users, key files and ProxyCommand lines: a map of where this machine can log in.
  { glob: '~/.ssh/config' },
  { glob: '~/.config/gcloud/**' },
  { glob: '~/.azure/**' },
  { glob: '~/.kube/config' },
  { glob: '~/.kube/config.d/**' },
  { glob: '~/.docker/config.json' },
  { glob: '~/.netrc' },
  { glob: '~/_netrc' },
  { glob: '~/.npmrc' },
  { glob: '~/.pypirc' },
  { glob: '~/.git-credentials' },
  { glob: '~/.config/gh/hosts.yml' },
  { glob: '~/.gnupg/**' },
  { glob: '~/.password-store/**' },
  { glob: '~/.vault-token' },
  { glob: '~/.pgpass' },
  { glob: '~/.my.cnf' },
  { glob: '~/.cargo/credentials*' },
  { glob: '~/.gem/credentials' },
  { glob: '~/.terraform.d/credentials.tfrc.json' },
  { glob: '~/.bash_history' },
  { glob: '~/.zsh_history' },
  // Agent and MCP client configuration: the servers an agent runs and the tokens it passes them.
  // Writing one is how a tool adds a server of its choosing to the user's agent.
  { glob: '~/.claude.json' },
  { glob: '~/.claude/**' },
  { glob: '~/.cursor/mcp.json' },
  { glob: '~/.codeium/windsurf/mcp_config.json' },
  { glob: '~/.config/claude/**' },
  { glob: '~/library/application support/claude/**' },
  { glob: '~/appdata/roaming/claude/**' },
  { glob: '~/.config/code/user/mcp.json' },
  { glob: '~/library/application support/code/user/mcp.json' },
  { glob: '~/appdata/roaming/code/user/mcp.json' },
  { glob: '~/.gemini/settings.json' },
];

/**
 * Absolute locations. Windows paths are written without their drive: a drive path is also
 * matched with its drive removed, so `C:\Windows\win.ini` and `\Windows\win.ini` both hit.
 */
export const SENSITIVE_ABSOLUTE: readonly SensitiveEntry[] = [
  { glob: '/etc/shadow' },
  { glob: '/etc/shadow-' },
  { glob: '/etc/gshadow' },
  { glob: '/etc/passwd' },
  { glob: '/etc/passwd-' },
  { glob: '/etc/master.passwd' },
  { glob: '/etc/sudoers' },
  { glob: '/etc/sudoers.d/**' },
  { glob: '/etc/security/opasswd' },
  { glob: '/etc/ssh/ssh_host_*_key' },
  // macOS keeps /etc and /var under /private; its local accounts' password hashes live in dslocal.
  { glob: '/private/etc/{shadow,master.passwd,passwd,sudoers}' },
  { glob: '/private/etc/sudoers.d/**' },
  { glob: '/private/etc/ssh/ssh_host_*_key' },
  { glob: '/{private/,}var/db/dslocal/**' },
  // Kubernetes service-account tokens and Docker/Compose secrets, mounted into containers.
  { glob: '/{var/,}run/secrets/**' },
  { glob: '/proc/*/environ' },
  { glob: '/proc/*/cmdline' },
  { glob: '/proc/*/mem' },
  // Through these a process reaches any file, around every check on the path's text.
  { glob: '/proc/*/root/**' },
  { glob: '/proc/*/cwd/**' },
  { glob: '/proc/*/fd/**' },
  { glob: '/windows/system32/config/{sam,system,security,software}' },
  { glob: '/windows/system32/config/regback/**' },
  { glob: '/windows/repair/{sam,system,security}' },
  { glob: '/windows/panther/**/unattend*.xml' },
  // Harmless contents, but the classic probes of a traversal: nothing legitimate asks for them.
  { glob: '/windows/win.ini' },
  { glob: '/winnt/win.ini' },
  { glob: '/boot.ini' },
  // IIS site configuration, with connection strings.
  { glob: '/inetpub/**/global.asa' },
  { glob: '/inetpub/**/web.config' },
];

/** Anywhere: secrets that live next to the code that uses them. */
export const SENSITIVE_ANYWHERE: readonly SensitiveEntry[] = [
  { glob: '**/.env' },
  { glob: '**/.env.*', except: ['*.example', '*.sample', '*.template', '*.dist', '*.defaults'] },
  // MCP client configuration, in a project or a home folder: which servers run, with which tokens.
  { glob: '**/claude_desktop_config.json' },
  { glob: '**/.mcp.json' },
  { glob: '**/.cursor/mcp.json' },
  { glob: '**/.vscode/mcp.json' },
];

/**
 * Where a `..` is heading when it is an attack: system folders seen from the file-system
 * root. Only used with a `..` in the path (`x/../etc/hosts`), never on their own: an
 * absolute path into them is the common, allowed case without roots.
 */
export const TRAVERSAL_TARGETS: readonly string[] = [
  '/etc/**',
  '/proc/**',
  '/sys/**',
  '/dev/**',
  '/root/**',
  '/boot/**',
  '/bin/**',
  '/sbin/**',
  '/usr/**',
  '/var/log/**',
  '/var/run/**',
  '/run/**',
  '/var/root/**',
  '/private/**',
  '/windows/**',
  '/winnt/**',
  '/inetpub/**',
  '/boot.ini',
  '/win.ini',
  '/home/*/.*/**',
  // Web server configuration next to the folder a server serves from.
  '/.htaccess',
  '/.htpasswd',
  '/web.config',
];
