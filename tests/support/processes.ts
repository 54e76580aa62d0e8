// MinisPod and its stand-ins as separate operating-system processes, the way they run split
// in production: started from the built app (`node scripts/start.js`) or the stand-ins'
// entry, ready when /healthz/ready answers, stopped with SIGTERM.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../src/lib/server/router';
import { ROOT, withHeapBudget } from './app-process';

export { ROOT };

/** A timeout stretched by how loaded the machine is (2 cores shared with other test runs). */
export function scaled(ms: number): number {
	const load = os.loadavg()[0] / Math.max(1, os.availableParallelism());
	return Math.round(ms * Math.min(4, Math.max(1, load)));
}

export type Started = { process: ChildProcess; output: () => string; exited: Promise<number | null> };

function capture(child: ChildProcess): Started {
	let output = '';
	const keep = (chunk: Buffer) => {
		output = (output + chunk.toString('utf8')).slice(-20_000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return { process: child, output: () => output, exited };
}

/** `npm run standins` on the given ports and directory; resolves with the environment it hands out. */
export async function startStandInsProcess(options: {
	dir: string;
	kubePort: number;
	midtransPort: number;
	webhook: string;
	env?: Record<string, string>;
}): Promise<Started & { env: Record<string, string> }> {
	const args = ['--dir', options.dir, '--kube-port', String(options.kubePort), '--midtrans-port', String(options.midtransPort)];
	const child = fork(path.join(ROOT, 'standins', 'main.ts'), [...args, '--webhook', options.webhook], {
		cwd: ROOT,
		execArgv: ['--import', 'tsx'],
		env: { ...process.env, ...options.env },
		stdio: ['ignore', 'pipe', 'pipe', 'ipc']
	});
	const started = capture(child);
	const env = await new Promise<Record<string, string>>((resolve, reject) => {
		child.once('message', (message: { env: Record<string, string> }) => resolve(message.env));
		void started.exited.then((code) => reject(new Error(`stand-ins exited with ${code}:\n${started.output()}`)));
	});
	return { ...started, env };
}

/** A fixed 32-byte key (hex) for test processes; never used outside tests. */
export const TEST_SECRET_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

/** `node scripts/start.js` of the app in `root`, with `env` on top of a quiet production one. */
export function startMinisPodProcess(env: Record<string, string>, root = ROOT): Started {
	const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.js')], {
		cwd: root,
		env: {
			...process.env,
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn',
			NODE_OPTIONS: withHeapBudget(),
			HOST: '127.0.0.1',
			MINISPOD_METRICS_HOST: '127.0.0.1',
			// Production needs a secret key; the web and worker processes of one test share it.
			MINISPOD_SECRET_KEY: TEST_SECRET_KEY,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	return capture(child);
}

/** Polls `url` until it answers 200 (or the process exits, or time runs out). */
export async function waitUntilReady(started: Started, url: string, timeoutMs = scaled(90_000)) {
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	void started.exited.then(() => (exited = true));
	while (Date.now() < deadline && !exited) {
		const status = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
			(response) => response.status,
			() => 0
		);
		if (status === 200) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${url} was not ready ${exited ? '(the process exited)' : `within ${timeoutMs} ms`}:\n${started.output()}`);
}

/** SIGTERM, then the exit code (SIGKILL if it does not stop within the time given). */
export async function stopProcess(started: Started, timeoutMs = scaled(45_000)): Promise<number | null> {
	if (started.process.exitCode !== null || started.process.signalCode !== null) return started.process.exitCode;
	started.process.kill('SIGTERM');
	const timer = setTimeout(() => started.process.kill('SIGKILL'), timeoutMs);
	const code = await started.exited;
	clearTimeout(timer);
	return code;
}

/** A tRPC client over HTTP acting with a session cookie, as a browser would. */
export function httpClient(origin: string, sessionToken: string) {
	return createTRPCClient<AppRouter>({
		links: [
			// As a browser on the site: mutations must carry its Origin (hooks.server.ts).
			httpLink({
				url: `${origin}/api/trpc`,
				transformer: superjson,
				headers: { cookie: `minispod_session=${sessionToken}`, origin }
			})
		]
	});
}

/**
 * Opens a tRPC subscription as EventSource does (GET with the input in the query), returning
 * the response and a reader of its raw text.
 */
export async function openEventStream(origin: string, sessionToken: string, procedure: string, input: unknown) {
	const query = new URLSearchParams({ input: JSON.stringify(superjson.serialize(input)) });
	const controller = new AbortController();
	const response = await fetch(`${origin}/api/trpc/${procedure}?${query}`, {
		headers: { accept: 'text/event-stream', cookie: `minispod_session=${sessionToken}` },
		signal: controller.signal
	});
	const reader = response.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	return {
		response,
		/** Reads until `done(text)` holds or the stream ends; returns all text read so far. */
		async readUntil(done: (text: string) => boolean, timeoutMs = scaled(30_000)) {
			const deadline = setTimeout(() => controller.abort(), timeoutMs);
			try {
				while (!done(text)) {
					const chunk = await reader.read();
					if (chunk.done) break;
					text += decoder.decode(chunk.value, { stream: true });
				}
			} catch (error) {
				if (!controller.signal.aborted) throw error;
			} finally {
				clearTimeout(deadline);
			}
			return text;
		},
		close: () => controller.abort()
	};
}
