// Looking a custom domain's records up with Node's resolver (c-ares, not the system's
// getaddrinfo), on the servers MINISPOD_DNS_SERVERS names; the system's when it is empty.
// https://nodejs.org/api/dns.html#class-dnspromisesresolver
import { promises as dns } from 'node:dns';
import type { DnsRecord } from './rules';
import { domainReason, type DomainReason } from './reasons';

export type DnsCheck = { ok: true } | { ok: false; problem: DomainReason };

/** Answers that mean "no such record" rather than "the lookup failed". */
const ABSENT = new Set<string>([dns.NODATA, dns.NOTFOUND]);

const stripDot = (name: string) => name.toLowerCase().replace(/\.$/, '');

function resolverFor(servers: string[]) {
	const resolver = new dns.Resolver({ timeout: 3000, tries: 2 });
	if (servers.length > 0) resolver.setServers(servers);
	return resolver;
}

async function lookup<T>(what: string, query: () => Promise<T[]>): Promise<{ values: T[] } | { problem: DomainReason }> {
	try {
		return { values: await query() };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
		if (ABSENT.has(code)) return { values: [] };
		return { problem: domainReason('lookup_failed', { lookup: what, code }) };
	}
}

async function checkRecord(resolver: dns.Resolver, record: DnsRecord): Promise<DomainReason | undefined> {
	if (record.type === 'TXT') {
		const found = await lookup(`${record.name} TXT`, () => resolver.resolveTxt(record.name));
		if ('problem' in found) return found.problem;
		// A TXT record's value may come in several strings, which make one value together (RFC 7208 §3.3).
		const values = found.values.map((chunks) => chunks.join(''));
		if (values.includes(record.value)) return undefined;
		return values.length === 0
			? domainReason('txt_missing', { name: record.name })
			: domainReason('txt_wrong', { name: record.name });
	}
	if (record.type === 'CNAME') {
		const found = await lookup(`${record.name} CNAME`, () => resolver.resolveCname(record.name));
		if ('problem' in found) return found.problem;
		if (found.values.some((value) => stripDot(value) === stripDot(record.value))) return undefined;
		return found.values.length === 0
			? domainReason('cname_missing', { name: record.name })
			: domainReason('cname_wrong', { name: record.name, found: found.values.join(', '), expected: record.value });
	}
	const found = await lookup(`${record.name} A`, () => resolver.resolve4(record.name));
	if ('problem' in found) return found.problem;
	if (found.values.includes(record.value)) return undefined;
	return found.values.length === 0
		? domainReason('a_missing', { name: record.name })
		: domainReason('a_wrong', { name: record.name, found: found.values.join(', '), expected: record.value });
}

/** Whether every record is in the DNS as asked; otherwise the first problem, in words. */
export async function checkDnsRecords(servers: string[], records: DnsRecord[]): Promise<DnsCheck> {
	const resolver = resolverFor(servers);
	const problems = await Promise.all(records.map((record) => checkRecord(resolver, record)));
	const problem = problems.find((found) => found !== undefined);
	return problem ? { ok: false, problem } : { ok: true };
}
