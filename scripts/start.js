// `npm start`: build if needed, start the stand-ins for the outside services that are not
// configured (development only), then run MinisPod (web and workers) in this process.
// The server hook boots everything else: the database (embedded unless DATABASE_URL is
// set), migrations, the demo seed and the queues.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIfStale } from './build-if-stale.js';
import { startStandIns } from './standins.js';
import { parseConfig } from '../src/lib/server/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
// The heap budget in NODE_OPTIONS (package.json `start`, the image; README, "Memory") is this
// process's, and has taken effect. What it starts is not the web process and gets V8's usual
// sizes: a build (vite runs out of 160 MB) and the stand-ins (an emulator of many apps).
if (process.env.NODE_OPTIONS) {
	process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.split(/\s+/)
		.filter((option) => !option.startsWith('--max-old-space-size') && !option.startsWith('--max-semi-space-size'))
		.join(' ');
}

/**
 * @param {unknown} error
 * @returns {never}
 */
function fail(error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}

let config;
try {
	buildIfStale();
	config = parseConfig();
	const missing = /** @type {('cluster' | 'payments')[]} */ ([]);
	if (!config.kube.kubeconfig && !config.kube.inCluster) missing.push('cluster');
	if (!config.midtrans.serverKey) missing.push('payments');
	if (missing.length > 0) {
		Object.assign(process.env, await startStandIns(root, missing, config.dataDir));
		config = parseConfig();
	}
} catch (error) {
	fail(error);
}
const { port, host } = config;
// The app reads ORIGIN itself; adapter-node reads it too, so give it the same default.
process.env.ORIGIN ??= config.origin;
// adapter-node refuses request bodies over BODY_SIZE_LIMIT (512 KB by default); a transfer
// proof may be up to MINISPOD_PROOF_MAX_BYTES, plus the rest of its form.
process.env.BODY_SIZE_LIMIT ??= String(config.wallet.proofMaxBytes + 256 * 1024);

// Importing the handler runs the server hook's `init`, which finishes booting first (and
// registers the app's own signal handlers, which run before the ones below).
const { handler } = await import(pathToFileURL(path.join(root, 'build', 'handler.js')).href);
// tRPC queries and JSON mutations are answered before SvelteKit, with the same set-up
// (src/lib/server/http/trpc-direct.ts).
const serveTrpc = /** @type {((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined} */ (
	/** @type {Record<symbol, unknown>} */ (globalThis)[Symbol.for('minispod.serveTrpc')]
);
const server = http.createServer((request, response) => {
	if (!serveTrpc?.(request, response)) handler(request, response);
});
// Node closes a keep-alive connection after 5 s idle by default. A client that sends its next
// request on it as the close is on its way gets a reset ("socket hang up"), and retries
// nothing. ingress-nginx keeps idle connections to the app up to 60 s
// (upstream-keepalive-timeout,
// https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#upstream-keepalive-timeout),
// so the app must keep them longer: the proxy, not the app, closes an idle connection. Node's
// own client ignores the server's `Keep-Alive: timeout=` hint unless it has a timeout of its
// own (lib/_http_agent.js, keepSocketAlive), as Playwright's request client has not.
server.keepAliveTimeout = config.keepAliveTimeoutSeconds * 1000;
server.on('error', (error) => {
	fail(
		/** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE'
			? `Port ${port} is in use; set PORT to another port.`
			: error
	);
});
server.listen(port, host, () => {
	console.log(`\nMinisPod is running at ${process.env.ORIGIN}\n`);
});

// Graceful shutdown as adapter-node's own server does it: stop accepting, let requests in
// flight finish (closing each connection once idle), force the rest after SHUTDOWN_TIMEOUT,
// then tell the app with `sveltekit:shutdown` so it closes the queue and the database.
let shuttingDown = false;
let inFlight = 0;
server.on('request', (request) => {
	inFlight += 1;
	request.on('close', () => {
		inFlight -= 1;
		if (shuttingDown) server.closeIdleConnections();
	});
});
/** @param {NodeJS.Signals} signal */
function shutDown(signal) {
	if (shuttingDown) return;
	shuttingDown = true;
	server.closeIdleConnections();
	server.close(() => {
		clearTimeout(force);
		// @ts-expect-error a custom event, as adapter-node emits it
		process.emit('sveltekit:shutdown', signal);
	});
	const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutSeconds * 1000);
	if (inFlight > 0) console.log(`Finishing ${inFlight} request(s) in flight…`);
}
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
