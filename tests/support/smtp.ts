// A real SMTP server on a loopback port (the `smtp-server` package), collecting what
// MinisPod sends; `failNext` makes it refuse the next messages with a temporary error.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { from: string; to: string[]; raw: string };

export type TestSmtp = {
	url: string;
	received: ReceivedMail[];
	/** Refuse this many next messages with 451 (a temporary failure). */
	failNext(count: number): void;
	close(): Promise<void>;
};

export async function startTestSmtp(): Promise<TestSmtp> {
	const received: ReceivedMail[] = [];
	let failures = 0;
	const server = new SMTPServer({
		authOptional: true,
		// Plain SMTP on loopback: no certificate to trust.
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				if (failures > 0) {
					failures -= 1;
					callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
					return;
				}
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
					raw: Buffer.concat(chunks).toString('utf8')
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		received,
		failNext: (count) => {
			failures = count;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
