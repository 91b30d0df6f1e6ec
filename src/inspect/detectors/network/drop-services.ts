/**
 * Services made for catching requests and data (issue 12): paste sites, request bins and
 * webhook testers, tunnels, out-of-band testing domains. Ordinary for some tools (a webhook
 * tester in development), a drop for data in others, so a URL naming one is logged (warn)
 * under the default policy; the strict preset lists them in network.denyHosts, which refuses.
 */
const DROP_DOMAINS: readonly string[] = [
  'pastebin.com', 'paste.ee', 'hastebin.com', 'ghostbin.com', 'dpaste.com', 'dpaste.org', 'termbin.com', 'ix.io', '0x0.st', 'rentry.co', 'controlc.com',
  'webhook.site', 'requestbin.net', 'requestbin.com', 'pipedream.net', 'beeceptor.com', 'hookbin.com', 'requestcatcher.com', 'mockbin.org',
  'transfer.sh', 'file.io', 'temp.sh', 'bashupload.com',
  'ngrok.io', 'ngrok-free.app', 'ngrok.app', 'trycloudflare.com', 'serveo.net', 'localhost.run', 'loca.lt',
  'burpcollaborator.net', 'oastify.com', 'interact.sh', 'oast.fun', 'oast.pro', 'oast.live', 'oast.site', 'oast.online', 'oast.me', 'canarytokens.com', 'dnslog.cn', 'ceye.io',
];

/** The drop service a host name belongs to (itself or a parent domain), or undefined. */
export function dropServiceOf(name: string): string | undefined {
  const host = name.toLowerCase().replace(/\.+$/, '');
  return DROP_DOMAINS.find((d) => host === d || isSubdomain(host, d));
}

/** True when `host` ends with `.domain` (compared in place, without building the suffix). */
export function isSubdomain(host: string, domain: string): boolean {
  return host.length > domain.length && host.charCodeAt(host.length - domain.length - 1) === 0x2e && host.endsWith(domain);
}
