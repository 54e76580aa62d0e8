// Runs the stand-ins for outside services (standins/main.ts) as a child process for
// `npm start`, on free loopback ports with their state under the data directory, and
// returns the environment MinisPod needs to use them. They are development tools: a
// production install (no dev dependencies, no standins/ folder) has none.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * @param {string} root
 * @param {('cluster' | 'payments')[]} services
 * @param {string} dataDir
 * @returns {Promise<Record<string, string>>}
 */
export async function startStandIns(root, services, dataDir) {
	const entry = path.join(root, 'standins', 'main.ts');
	const needs = services.map((service) => (service === 'cluster' ? 'KUBECONFIG' : 'MIDTRANS_SERVER_KEY'));
	if (!existsSync(entry) || !resolvable('tsx')) {
		throw new Error(
			`Not configured: ${needs.join(', ')}. Without a Kubernetes cluster or Midtrans keys MinisPod runs stand-ins, ` +
				'which are development tools (install with dev dependencies: npm install).'
		);
	}
	console.log(`Not configured: ${needs.join(', ')}. Starting the stand-ins (state in ${path.join(dataDir, 'standins')}).`);
	const args = [
		'--dir',
		path.join(dataDir, 'standins'),
		'--kube-port',
		'0',
		'--midtrans-port',
		'0',
		'--only',
		services.join(',')
	];
	// In a process group of their own, so that Ctrl-C in the terminal (SIGINT to the whole
	// foreground group) reaches MinisPod and not the cluster and payments its jobs in flight
	// still talk to. They end with MinisPod, when the IPC channel closes (also if it is killed).
	const child = fork(entry, args, {
		cwd: root,
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		detached: true
	});
	return new Promise((resolve, reject) => {
		child.once('message', (/** @type {{ type: string; env: Record<string, string> }} */ message) => {
			if (message.type === 'ready') resolve(message.env);
		});
		child.once('exit', (code, signal) => {
			reject(new Error(`The stand-ins exited (code ${code}) before they were ready.`));
			if (code !== 0 && signal === null) console.error(`The stand-ins stopped (code ${code}); restart MinisPod.`);
		});
	});
}

/** @param {string} name */
function resolvable(name) {
	try {
		import.meta.resolve(name);
		return true;
	} catch {
		return false;
	}
}
