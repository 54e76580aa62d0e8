// A real DNS server on a loopback UDP port (the dns2 package) that a test fills with
// records: MinisPod's resolver asks it as it would ask the customer's DNS provider.
import dns2 from 'dns2';

const { Packet } = dns2;

export type TestDnsRecord = { type: 'TXT' | 'CNAME' | 'A'; name: string; value: string };

export type TestDnsServer = {
	/** `127.0.0.1:<port>`, for MINISPOD_DNS_SERVERS. */
	address: string;
	set(record: TestDnsRecord): void;
	clear(): void;
	close(): Promise<void>;
};

/** RFC 1035 §4.1.1: the name does not exist (dns2's typings leave its RCODE table out). */
const NXDOMAIN = 3;

const TYPES = { TXT: Packet.TYPE.TXT, CNAME: Packet.TYPE.CNAME, A: Packet.TYPE.A } as const;

export async function startTestDnsServer(): Promise<TestDnsServer> {
	const records: TestDnsRecord[] = [];
	const server = dns2.createUDPServer((request, send) => {
		const response = Packet.createResponseFromRequest(request);
		const [question] = request.questions;
		const name = question.name.toLowerCase();
		const known = records.filter((record) => record.name === name);
		if (known.length === 0) response.header.rcode = NXDOMAIN;
		for (const record of known.filter((candidate) => TYPES[candidate.type] === question.type)) {
			const base = { name: question.name, type: TYPES[record.type], class: Packet.CLASS.IN, ttl: 60 };
			const data =
				record.type === 'TXT'
					? { data: record.value }
					: record.type === 'CNAME'
						? { domain: record.value }
						: { address: record.value };
			// dns2 encodes plain objects; its typings ask for a decoded Resource.
			response.answers.push({ ...base, ...data } as unknown as (typeof response.answers)[number]);
		}
		send(response);
	});
	await server.listen(0, '127.0.0.1');
	const { port } = server.address();
	return {
		address: `127.0.0.1:${port}`,
		set(record) {
			const index = records.findIndex((other) => other.name === record.name && other.type === record.type);
			if (index >= 0) records.splice(index, 1);
			records.push({ ...record, name: record.name.toLowerCase() });
		},
		clear() {
			records.length = 0;
		},
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}
