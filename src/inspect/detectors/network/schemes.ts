/**
 * URL schemes a fetching tool must not follow: they read local files, speak
 * raw line protocols that can drive internal services (gopher, dict), or are
 * language wrappers with side effects (php, phar, expect).
 */

const DANGEROUS = new Set([
  'file',
  'gopher',
  'dict',
  'ftp',
  'ftps',
  'sftp',
  'tftp',
  'scp',
  'telnet',
  'ldap',
  'ldaps',
  'ldapi',
  'smb',
  'cifs',
  'nfs',
  'unix',
  'jar',
  'netdoc',
  'jdbc',
  'php',
  'phar',
  'expect',
  'zip',
  'glob',
  'rar',
  'ogg',
  'compress.zlib',
  'compress.bzip2',
]);

/** True for a lower-case scheme a fetch must refuse (`ssh2.exec` and friends included). */
export function isDangerousScheme(scheme: string): boolean {
  return DANGEROUS.has(scheme) || scheme.startsWith('ssh2.');
}

// Schemes whose authority is a host resolved through DNS. Elsewhere a dotless
// word is a name of the scheme's own (`php://filter`, `s3://bucket`).
const HOST_SCHEMES = new Set([
  'http', 'https', 'ws', 'wss', 'ftp', 'ftps', 'sftp', 'tftp', 'scp', 'ssh', 'telnet', 'gopher', 'dict',
  'ldap', 'ldaps', 'smb', 'cifs', 'nfs', 'redis', 'rediss', 'memcached', 'mongodb', 'postgres', 'postgresql',
  'mysql', 'amqp', 'amqps', 'mqtt', 'nats', 'git', 'svn', 'rtsp', 'sip', 'xmpp', 'irc',
]);

/** True when a dotless word after `scheme://` is a host name (`http://redis/` names one; `php://filter`, `s3://bucket` do not). */
export function authorityIsHost(scheme: string): boolean {
  return HOST_SCHEMES.has(scheme);
}
