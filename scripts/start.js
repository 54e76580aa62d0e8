// `npm start`: build if needed, then run MinisPod (web and workers) in this process.
// The server hook boots everything else: the database (embedded unless DATABASE_URL is
// set), migrations, the demo seed, the queues and the stand-ins for outside services.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIfStale } from './build-if-stale.js';
import { parseConfig } from '../src/lib/server/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

try {
	buildIfStale();
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}

let config;
try {
	config = parseConfig();
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
const { port, host } = config;
// The app reads ORIGIN itself; adapter-node reads it too, so give it the same default.
process.env.ORIGIN ??= config.origin;
// adapter-node refuses request bodies over BODY_SIZE_LIMIT (512 KB by default); a transfer
// proof may be up to MINISPOD_PROOF_MAX_BYTES, plus the rest of its form.
process.env.BODY_SIZE_LIMIT ??= String(config.wallet.proofMaxBytes + 256 * 1024);

// Importing the handler runs the server hook's `init`, which finishes booting first.
const { handler } = await import(pathToFileURL(path.join(root, 'build', 'handler.js')).href);
const server = http.createServer(handler);
server.on('error', (error) => {
	console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use; set PORT to another port.` : error);
	process.exit(1);
});
server.listen(port, host, () => {
	console.log(`\nMinisPod is running at ${process.env.ORIGIN}\n`);
});
