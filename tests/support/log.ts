// A logger that keeps its lines in memory, so tests can read what MinisPod logged.
import { Writable } from 'node:stream';
import { createLogger } from '../../src/lib/server/log';

export function memoryLogger(level = 'info') {
	const lines: string[] = [];
	const destination = new Writable({
		write(chunk, _encoding, done) {
			lines.push(...String(chunk).split('\n').filter(Boolean));
			done();
		}
	});
	return { logger: createLogger({ level, pretty: false, destination }), lines, text: () => lines.join('\n') };
}
