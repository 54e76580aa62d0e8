// `npm run standins`: the Midtrans simulator and the Kubernetes emulator in one process, on
// fixed loopback ports, with their state on disk, so several MinisPod processes (web ×N,
// worker) can share them and a restart keeps the emulated cluster and payments. It prints
// the environment those processes need (and writes it to <dir>/env). `npm start` runs it
// the same way when no Midtrans key or cluster is configured, on free ports, and receives
// the environment over its IPC channel.
//
//   npm run standins -- [--dir .data/standins] [--kube-port 3901] [--midtrans-port 3902]
//                       [--webhook http://127.0.0.1:3000/api/webhooks/midtrans]
//                       [--only cluster|payments]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/lib/server/config.js';
import { WEBHOOK_PATH } from '../src/lib/server/payments/signature';
import { loopbackOrigin } from '../src/lib/server/util/net';
import { kubeconfigFor, startKubeEmulator, type KubeEmulator } from './kube-emulator';
import { startMidtransSimulator, type MidtransSimulator } from './midtrans';

export const DEFAULT_PORTS = { cluster: 3901, payments: 3902 };

const USAGE = `Usage: npm run standins -- [--dir DIR] [--kube-port N] [--midtrans-port N] [--webhook URL] [--only cluster|payments]`;

type StandIn = 'cluster' | 'payments';

function parseOptions() {
	const { values } = parseArgs({
		options: {
			dir: { type: 'string' },
			'kube-port': { type: 'string' },
			'midtrans-port': { type: 'string' },
			webhook: { type: 'string' },
			only: { type: 'string' },
			help: { type: 'boolean' }
		}
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	const config = parseConfig();
	const port = (value: string | undefined, fallback: number) => {
		const parsed = value === undefined ? fallback : Number(value);
		if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`Not a port: ${value}\n${USAGE}`);
		return parsed;
	};
	const only = values.only?.split(',') ?? ['cluster', 'payments'];
	if (only.length === 0 || only.some((name) => name !== 'cluster' && name !== 'payments')) throw new Error(USAGE);
	return {
		config,
		dir: path.resolve(values.dir ?? path.join(config.dataDir, 'standins')),
		ports: {
			cluster: port(values['kube-port'], DEFAULT_PORTS.cluster),
			payments: port(values['midtrans-port'], DEFAULT_PORTS.payments)
		},
		webhook: values.webhook ?? `${loopbackOrigin(config.host, config.port)}${WEBHOOK_PATH}`,
		services: new Set(only as StandIn[])
	};
}

async function main() {
	const options = parseOptions();
	// Only the state directory is private: a recursive mkdir would give its parents (the data
	// directory) mode 0700 too, and the embedded PostgreSQL, running as `postgres` when
	// MinisPod runs as root, must be able to enter the data directory.
	mkdirSync(path.dirname(options.dir), { recursive: true });
	mkdirSync(options.dir, { recursive: true, mode: 0o700 });
	const env: Record<string, string> = {};
	let emulator: KubeEmulator | undefined;
	let simulator: MidtransSimulator | undefined;

	if (options.services.has('cluster')) {
		emulator = await startKubeEmulator({
			port: options.ports.cluster,
			stateFile: path.join(options.dir, 'cluster.json'),
			podReadyDelayMs: options.config.kube.emulatorPodReadyMs,
			// The NetworkPolicies let the ingress controller's namespace in; it exists on a real cluster.
			namespaces: [options.config.kube.ingressNamespace]
		});
		const kubeconfig = path.join(options.dir, 'kubeconfig.json');
		writeFileSync(kubeconfig, kubeconfigFor(emulator.url, emulator.token), { mode: 0o600 });
		env.KUBECONFIG = kubeconfig;
	}
	if (options.services.has('payments')) {
		simulator = await startMidtransSimulator({
			port: options.ports.payments,
			stateFile: path.join(options.dir, 'midtrans.json'),
			webhookUrl: options.webhook
		});
		env.MIDTRANS_SERVER_KEY = simulator.serverKey;
		env.MIDTRANS_API_BASE_URL = simulator.apiBaseUrl;
		env.MIDTRANS_SNAP_BASE_URL = simulator.snapBaseUrl;
	}
	env.MINISPOD_STANDINS = [...options.services].sort().join(',');

	let stopping: Promise<void> | undefined;
	const stop = () => {
		stopping ??= Promise.all([emulator?.stop(), simulator?.close()]).then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	// Started by `npm start`: end with it, even if it dies without a word.
	process.once('disconnect', stop);

	const lines = Object.entries(env).map(([name, value]) => `${name}=${value}`);
	writeFileSync(path.join(options.dir, 'env'), `${lines.join('\n')}\n`, { mode: 0o600 });
	if (process.send) {
		process.send({ type: 'ready', env });
		return;
	}
	console.log(
		[
			`MinisPod stand-ins are running (state in ${options.dir}).`,
			...(emulator ? [`  Kubernetes emulator  ${emulator.url}`] : []),
			...(simulator ? [`  Midtrans simulator   ${simulator.url}  (notifies ${options.webhook})`] : []),
			'',
			`Run MinisPod processes with this environment (also in ${path.join(options.dir, 'env')}):`,
			'',
			...lines,
			''
		].join('\n')
	);
}

main().catch((error: unknown) => {
	const code = (error as { code?: string }).code;
	console.error(
		code === 'EADDRINUSE'
			? `A stand-in's port is in use (${(error as Error).message}); pick others with --kube-port/--midtrans-port.`
			: error
	);
	process.exit(1);
});
