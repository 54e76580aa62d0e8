// Custom domain rules that need no I/O: what counts as a hostname a customer may claim, the
// DNS records that prove and point it, and how long MinisPod keeps looking for them.
import { domainToASCII, domainToUnicode } from 'node:url';
import { isIP } from 'node:net';
import { m } from '$lib/paraglide/messages';
import { say, type Sentence } from '../sentences';

/** The DNS check looks right away, then this often, for CHECK_WINDOW_MS. */
export const CHECK_INTERVAL_MS = 5 * 60_000;
export const CHECK_WINDOW_MS = 72 * 3600_000;
/** Between two looks for a domain's certificate Secret, and how long cert-manager may take. */
export const CERTIFICATE_LOOK_MS = 5_000;
export const CERTIFICATE_WINDOW_MS = 60 * 60_000;

/** The label of the TXT record that proves ownership, under the domain. */
export const CHALLENGE_LABEL = '_minispod-challenge';

/**
 * Names that never reach the public DNS (RFC 6761 special-use names, mDNS, the
 * home/internal names of RFC 8375 and ICANN's .internal): a certificate authority cannot
 * validate them, so a claim on them could never become active.
 */
const PRIVATE_SUFFIXES = ['localhost', 'local', 'test', 'invalid', 'example', 'internal', 'home.arpa', 'lan', 'intranet'];

/**
 * Second-level suffixes under which the registrable (apex) domain has three labels: the
 * Indonesian ones (PANDI's .id second levels) and the common foreign ones. A full public
 * suffix list is not needed for the one question asked here: CNAME or A record.
 */
const SECOND_LEVEL_SUFFIXES = new Set([
	'co.id',
	'ac.id',
	'or.id',
	'go.id',
	'web.id',
	'my.id',
	'biz.id',
	'net.id',
	'sch.id',
	'ponpes.id',
	'desa.id',
	'co.uk',
	'org.uk',
	'com.au',
	'com.sg',
	'com.my',
	'co.jp',
	'com.br'
]);

export type HostnameCheck = { ok: true; hostname: string } | { ok: false; message: Sentence };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The hostname as stored (lower case, ASCII/punycode, no trailing dot), or why it cannot be
 * claimed: not a public DNS name, MinisPod's own domain, or a private name.
 */
export function normalizeHostname(input: string, baseDomain: string): HostnameCheck {
	const trimmed = input.trim().replace(/\.$/, '');
	if (!trimmed) return { ok: false, message: say(m.srv2_domain_enter) };
	if (/^[a-z]+:\/\//i.test(trimmed) || /[/:@\s]/.test(trimmed)) {
		return { ok: false, message: say(m.srv2_domain_no_scheme) };
	}
	if (isIP(trimmed)) return { ok: false, message: say(m.srv2_domain_not_ip) };
	const hostname = domainToASCII(trimmed.toLowerCase());
	if (!hostname || hostname.length > 253) return { ok: false, message: say(m.srv2_domain_invalid) };
	const labels = hostname.split('.');
	if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
		return { ok: false, message: say(m.srv2_domain_invalid) };
	}
	const tld = labels.at(-1)!;
	if (!/^([a-z]{2,63}|xn--[a-z0-9-]+)$/.test(tld)) return { ok: false, message: say(m.srv2_domain_no_tld) };
	const base = baseDomain.toLowerCase().replace(/\.$/, '');
	if (hostname === base || hostname.endsWith(`.${base}`)) {
		return { ok: false, message: say(m.srv2_domain_base, { base }) };
	}
	if (PRIVATE_SUFFIXES.some((suffix) => hostname === suffix || hostname.endsWith(`.${suffix}`))) {
		return { ok: false, message: say(m.srv2_domain_not_public) };
	}
	return { ok: true, hostname };
}

/** Whether the hostname is a registrable domain itself (example.co.id), which cannot have a CNAME. */
export function isApexDomain(hostname: string): boolean {
	const labels = hostname.split('.');
	if (labels.length === 2) return true;
	return labels.length === 3 && SECOND_LEVEL_SUFFIXES.has(labels.slice(1).join('.'));
}

/**
 * How a person writes an internationalised name (`blog.bücher.de` for the stored
 * `blog.xn--bcher-kva.de`); null when that is the ASCII name itself, or it does not decode.
 */
export function unicodeHostname(ascii: string): string | null {
	const unicode = domainToUnicode(ascii);
	return unicode && unicode !== ascii ? unicode : null;
}

export type DnsRecord = { type: 'TXT' | 'CNAME' | 'A'; name: string; value: string; purpose: string };

/**
 * The two records the owner creates: the TXT record proving ownership, and the record
 * pointing the domain at the platform (a CNAME to the app's own address, or for an apex
 * domain, where DNS allows no CNAME (RFC 1034 §3.6.2), an A record to the ingress address).
 */
export function requiredRecords(
	domain: { hostname: string; verificationToken: string },
	target: { appHost: string; ingressIp?: string }
): DnsRecord[] {
	const proof: DnsRecord = {
		type: 'TXT',
		name: `${CHALLENGE_LABEL}.${domain.hostname}`,
		value: domain.verificationToken,
		purpose: 'Proves that you own the domain'
	};
	if (isApexDomain(domain.hostname)) {
		return [proof, { type: 'A', name: domain.hostname, value: target.ingressIp ?? '', purpose: 'Points the domain at MinisPod' }];
	}
	return [proof, { type: 'CNAME', name: domain.hostname, value: target.appHost, purpose: 'Points the domain at your app' }];
}

/** The domains beyond the plan's allowance, newest first to go (the oldest keep their place). */
export function domainsOverAllowance<T extends { createdAt: Date }>(domains: T[], allowed: number): T[] {
	const byAge = [...domains].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
	return byAge.slice(Math.max(0, allowed));
}
