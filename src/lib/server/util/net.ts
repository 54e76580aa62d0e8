import net from 'node:net';

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function getFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				if (address && typeof address === 'object') resolve(address.port);
				else reject(new Error('Could not determine a free port'));
			});
		});
	});
}

/**
 * The base URL of a server on this machine listening on `host:port`, as reached over
 * loopback (`localhost` may resolve to ::1, so a wildcard or localhost becomes 127.0.0.1).
 */
export function loopbackOrigin(host: string, port: number): string {
	const wildcard = ['', '0.0.0.0', '::', 'localhost'].includes(host);
	const address = wildcard ? '127.0.0.1' : host;
	return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
