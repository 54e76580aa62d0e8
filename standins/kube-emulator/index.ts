// The Kubernetes emulator: a loopback API server for development and tests, so MinisPod
// talks to it through @kubernetes/client-node exactly as it talks to a real cluster.
//
//   const emulator = await startKubeEmulator({ podReadyDelayMs: 100 });
//   const kubeConfig = new KubeConfig();
//   kubeConfig.loadFromString(emulator.kubeconfig());
//   emulator.faults.failImagePull({ deployment: 'blog' });
//   await emulator.stop();
//
// The same controls over HTTP (bearer token required), for poking a running dev server:
//   GET /_emulator/stats                 open log streams, objects per kind, requests
//   GET|POST|DELETE /_emulator/faults    list, add ({ type: 'imagePull' | 'crashLoop' |
//                                        'apiError' | 'latency', ... }), clear all
//   DELETE /_emulator/faults/:id         remove one
//   PUT /_emulator/options               { podReadyDelayMs?, logIntervalMs? }
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, type ControllerOptions } from './controller';
import { Faults } from './faults';
import { clone } from './patch';
import { RESOURCE_TYPES, resourceTypeForKind } from './resources';
import { ApiServer, type RequestRecord } from './server';
import { ObjectStore, type WireObject } from './store';
import { loadState, persistStore } from './persistence';

export type { FaultHandle, ImagePullFault, CrashLoopFault, ApiErrorFault, LatencyFault, HeldRequest, PodMatch } from './faults';
export type { WireObject } from './store';
export type { RequestRecord } from './server';

export type KubeEmulatorOptions = Partial<ControllerOptions> & {
	/** Bearer token clients must present; random when absent. */
	token?: string;
	/** Namespaces that exist from the start (besides default and kube-system). */
	namespaces?: string[];
	/** Port to listen on (127.0.0.1); a free one when absent. */
	port?: number;
	/** Keep the cluster's objects (and the token) in this file across restarts. */
	stateFile?: string;
};

export type EmulatorStats = {
	/** pods/log responses currently open (follow streams still attached). */
	openLogStreams: number;
	/** Stored objects per kind. */
	objects: Record<string, number>;
	/** HTTP requests served since start (the control API included). */
	requests: number;
};

export type KubeEmulator = {
	/** Base URL, e.g. http://127.0.0.1:41234. */
	readonly url: string;
	readonly token: string;
	/** Fault injection for tests (also reachable over HTTP under /_emulator/faults). */
	readonly faults: Faults;
	/** A kubeconfig (JSON, which is valid YAML) for this emulator. */
	kubeconfig(): string;
	/** Change the pod timing while running. */
	configure(options: Partial<Pick<ControllerOptions, 'podReadyDelayMs' | 'logIntervalMs'>>): void;
	stats(): EmulatorStats;
	/** Recent API requests, oldest first (the last thousand). */
	readonly requests: readonly RequestRecord[];
	/** Stored objects of a kind (copies), optionally in one namespace. */
	list(kind: string, namespace?: string): WireObject[];
	get(kind: string, namespace: string | undefined, name: string): WireObject | undefined;
	/** Resolves once the controller has acted on every change so far (tests wait on it, not on time). */
	settled(): Promise<void>;
	stop(): Promise<void>;
};

const DEFAULTS: ControllerOptions = { podReadyDelayMs: 1500, logIntervalMs: 2000, resyncMs: 1000 };

/** A kubeconfig for a plain-HTTP API server with a bearer token, as client-node loads it. */
export function kubeconfigFor(url: string, token: string): string {
	const config = {
		apiVersion: 'v1',
		kind: 'Config',
		clusters: [{ name: 'minispod-emulator', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
		users: [{ name: 'minispod', user: { token } }],
		contexts: [{ name: 'minispod-emulator', context: { cluster: 'minispod-emulator', user: 'minispod', namespace: 'default' } }],
		'current-context': 'minispod-emulator'
	};
	return JSON.stringify(config, null, 2);
}

export async function startKubeEmulator(options: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
	const controllerOptions: ControllerOptions = {
		podReadyDelayMs: options.podReadyDelayMs ?? DEFAULTS.podReadyDelayMs,
		logIntervalMs: options.logIntervalMs ?? DEFAULTS.logIntervalMs,
		resyncMs: options.resyncMs ?? DEFAULTS.resyncMs
	};
	const saved = options.stateFile ? loadState(options.stateFile) : undefined;
	const token = options.token ?? saved?.token ?? randomBytes(24).toString('base64url');
	const store = new ObjectStore();
	const persistence = options.stateFile ? persistStore(store, options.stateFile, token, saved) : undefined;
	const faults = new Faults();
	const controller = new Controller(store, faults, controllerOptions);
	const openLogStreams = new Set<ServerResponse>();
	const requests: RequestRecord[] = [];
	const counters = { requests: 0 };
	const stats = (): EmulatorStats => ({
		openLogStreams: openLogStreams.size,
		objects: store.counts(RESOURCE_TYPES),
		requests: counters.requests
	});

	const namespaceType = resourceTypeForKind('Namespace');
	for (const name of new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', ...(options.namespaces ?? [])])) {
		if (store.get(namespaceType, undefined, name)) continue;
		store.write(namespaceType, {
			apiVersion: 'v1',
			kind: 'Namespace',
			metadata: {
				name,
				uid: randomUUID(),
				resourceVersion: '',
				creationTimestamp: new Date().toISOString(),
				labels: { 'kubernetes.io/metadata.name': name }
			},
			spec: { finalizers: ['kubernetes'] },
			status: { phase: 'Active' }
		});
	}

	const api = new ApiServer({ store, controller, faults, token, openLogStreams, requests, counters, stats }, controllerOptions);
	const server = http.createServer(api.handle);
	server.keepAliveTimeout = 5_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	controller.start();
	const { port } = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	let stopped: Promise<void> | undefined;

	return {
		url,
		token,
		faults,
		requests,
		kubeconfig: () => kubeconfigFor(url, token),
		configure(changes) {
			if (changes.podReadyDelayMs !== undefined) controllerOptions.podReadyDelayMs = changes.podReadyDelayMs;
			if (changes.logIntervalMs !== undefined) controllerOptions.logIntervalMs = changes.logIntervalMs;
		},
		stats,
		list: (kind, namespace) => store.list(resourceTypeForKind(kind), namespace).map((object) => clone(object)),
		get: (kind, namespace, name) => {
			const object = store.get(resourceTypeForKind(kind), namespace, name);
			return object ? clone(object) : undefined;
		},
		settled: () => controller.settled(),
		stop() {
			stopped ??= new Promise<void>((resolve) => {
				controller.stop();
				persistence?.close();
				for (const res of openLogStreams) res.end();
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return stopped;
		}
	};
}
