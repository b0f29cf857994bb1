/**
 * Checking and redacting target URLs. Pure: no I/O.
 *
 * A target URL is refused when it could leak or be abused: not https (http only for this
 * machine, or when the server allows it), credentials in it (user:pass@), too long, or naming a
 * private, loopback or link-local address while the server refuses private targets (SSRF: on a
 * multi-tenant server a workspace must not make the server call its own internal network).
 * Host names are checked again at connect time, on the address they resolve to (see http-post.ts),
 * so a name that resolves to 10.0.0.1 is refused as well.
 */
import { BlockList, isIP } from 'node:net';

export const MAX_URL_LENGTH = 2048;

export interface UrlPolicy {
  /** Plain http to any host (else only to this machine: localhost, 127.0.0.1, ::1). */
  allowHttp: boolean;
  /** Loopback, private (RFC 1918, ULA), link-local and other non-public addresses. */
  allowPrivateTargets: boolean;
}

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** True for an IP address that is not on the public internet (loopback, private, link-local, …). */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '');
  const version = isIP(ip);
  if (version === 4) return PRIVATE.check(ip, 'ipv4');
  if (version !== 6) return false;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return PRIVATE.check(mapped[1], 'ipv4');
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (hexMapped?.[1] && hexMapped[2]) {
    const hi = parseInt(hexMapped[1], 16);
    const lo = parseInt(hexMapped[2], 16);
    return PRIVATE.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return PRIVATE.check(ip, 'ipv6');
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** This machine, by name or loopback address. */
export function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** Why the URL is refused, or undefined when it is acceptable. */
export function urlProblem(raw: string, policy: UrlPolicy): string | undefined {
  if (raw.length > MAX_URL_LENGTH) return `is longer than ${MAX_URL_LENGTH} characters`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `must be https (not ${u.protocol.replace(/:$/, '')})`;
  if (u.username || u.password) return 'must not carry credentials (user:password@); webhooks are signed with the target’s secret instead';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) return 'has no host';
  if (u.protocol === 'http:' && !policy.allowHttp && !isLocalHost(host)) return 'must be https (plain http is allowed only for this machine)';
  if (!policy.allowPrivateTargets) {
    if (isIP(host) && isPrivateAddress(host)) return `names a private or loopback address (${host}); this server sends only to public addresses`;
    if (!isIP(host) && (isLocalHost(host) || LOCAL_NAMES.test(host) || !host.includes('.'))) return `names a local host (${host}); this server sends only to public addresses`;
  }
  return undefined;
}

const SECRET_PARAM = /token|key|secret|signature|sig|password|passwd|auth|credential|code/i;

/**
 * The URL as it may be shown and logged: no user:password@, the values of query parameters that
 * look like credentials masked, and for Slack-style incoming webhooks (whose secret is the path's
 * last segment, https://hooks.slack.com/services/T…/B…/<secret>) that segment masked too.
 */
export function redactUrl(raw: string, kind: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '(invalid URL)';
  }
  if (u.username) u.username = '***';
  if (u.password) u.password = '***';
  for (const name of [...u.searchParams.keys()]) if (SECRET_PARAM.test(name)) u.searchParams.set(name, '***');
  if (kind === 'slack') {
    const parts = u.pathname.split('/');
    const last = parts.length - 1;
    if (last >= 2 && parts[last]) parts[last] = '***';
    u.pathname = parts.join('/');
  }
  u.hash = '';
  return u.toString().replace(/%2A%2A%2A/g, '***');
}

/** The pieces of a target URL that are secret, as they could show up in an echoed error. */
export function secretPartsOf(raw: string | null, kind: string): string[] {
  if (!raw) return [];
  const out: string[] = [];
  try {
    const u = new URL(raw);
    if (u.username) out.push(u.username);
    if (u.password) out.push(u.password);
    for (const [name, value] of u.searchParams) if (SECRET_PARAM.test(name) && value) out.push(value);
    if (kind === 'slack') {
      const last = u.pathname.split('/').filter(Boolean).at(-1);
      if (last) out.push(last);
    }
  } catch {
    // not a URL: nothing to pick out
  }
  return out.filter((s) => s.length >= 4);
}

/** Text safe to store and log: every secret blanked, URLs redacted, at most `max` characters. */
export function scrub(text: string, secrets: readonly string[], max = 500): string {
  // Control characters (a hostile target's reply) would garble logs and the dashboard.
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  let out = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  for (const s of [...secrets].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  out = out.replace(/(\w+:\/\/)[^/\s@]*@/g, '$1***@');
  out = out.replace(/([?&][^=\s&#]*(?:token|key|secret|signature|sig|password|auth)[^=\s&#]*=)[^&\s#]+/gi, '$1***');
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
