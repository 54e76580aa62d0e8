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
//   PUT /_emulator/options               { podReadyDelayMs?, logIntervalMs?, podTerminationMs?,
//                                        namespaceTerminationMs?, certificateIssueMs?,
//                                        metricsApi?, metricsIntervalMs?, snapshotApi?,
//                                        snapshotReadyMs? }
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { CertManager, type CertManagerOptions } from './cert-manager';
import { Controller, type ControllerOptions } from './controller';
import { Faults } from './faults';
import { PodMetricsApi, type MetricsOptions } from './metrics';
import { NamespaceLifecycle, type NamespaceOptions } from './namespaces';
import { clone } from './patch';
import { AdmissionChain } from './policy';
import { RESOURCE_TYPES, resourceTypeForKind } from './resources';
import { ApiServer, type RequestRecord } from './server';
import { ObjectStore, type WireObject } from './store';
import { loadState, persistStore } from './persistence';
import { SnapshotController, type SnapshotOptions } from './snapshots';
import { VolumeContents } from './volumes';

export type { FaultHandle, ImagePullFault, CrashLoopFault, ApiErrorFault, LatencyFault, HeldRequest, PodMatch } from './faults';
export type { WireObject } from './store';
export type { RequestRecord } from './server';

/** Timings and features of the emulated cluster; all can change while it runs. */
export type EmulatorOptions = ControllerOptions & NamespaceOptions & CertManagerOptions & MetricsOptions & SnapshotOptions;

export type KubeEmulatorOptions = Partial<EmulatorOptions> & {
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
	/** Change timings (pods, namespaces, certificates) or features (the metrics API) while running. */
	configure(options: Partial<Omit<EmulatorOptions, 'resyncMs'>>): void;
	stats(): EmulatorStats;
	/** Recent API requests, oldest first (the last thousand). */
	readonly requests: readonly RequestRecord[];
	/** Stored objects of a kind (copies), optionally in one namespace. */
	list(kind: string, namespace?: string): WireObject[];
	get(kind: string, namespace: string | undefined, name: string): WireObject | undefined;
	/**
	 * The files on a bound claim's volume (what the app wrote there), and writing one, as an
	 * app's pod would: tests see a snapshot keep them and a restored claim start with them.
	 */
	volumeFiles(namespace: string, claim: string): Record<string, string>;
	writeVolumeFile(namespace: string, claim: string, path: string, content: string): void;
	/** Resolves once the controller has acted on every change so far (tests wait on it, not on time). */
	settled(): Promise<void>;
	stop(): Promise<void>;
};

const DEFAULTS: EmulatorOptions = {
	podReadyDelayMs: 1500,
	logIntervalMs: 2000,
	resyncMs: 1000,
	// A real pod takes seconds to stop and a namespace seconds to minutes to go.
	podTerminationMs: 1000,
	namespaceTerminationMs: 2000,
	certificateIssueMs: 1000,
	metricsApi: true,
	// metrics-server scrapes every 15 s by default.
	metricsIntervalMs: 15_000,
	// A CSI driver cuts a snapshot in seconds; clusters without the snapshot CRDs are set up with false.
	snapshotApi: true,
	snapshotReadyMs: 1000
};

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

/** The namespaces every cluster has, and those a test asks for; kept when restored from disk. */
function createSystemNamespaces(store: ObjectStore, extra: string[] = []) {
	const namespaceType = resourceTypeForKind('Namespace');
	for (const name of new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', ...extra])) {
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
}

/** The API server on the loopback address (any free port unless one is given). */
async function listen(api: ApiServer, port = 0): Promise<http.Server> {
	const server = http.createServer(api.handle);
	// kube-apiserver keeps an idle connection 90 s (IdleTimeout in k8s.io/apiserver's
	// secure_serving.go, "matches http.DefaultTransport keep-alive timeout"); Node's 5 s made a
	// client's request on a connection idle that long race the server closing it (ECONNRESET).
	server.keepAliveTimeout = 90_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	return server;
}

export async function startKubeEmulator(options: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
	const { token: givenToken, namespaces: initialNamespaces, stateFile, ...timings } = options;
	const emulatorOptions: EmulatorOptions = {
		...DEFAULTS,
		...Object.fromEntries(Object.entries(timings).filter(([, value]) => value !== undefined))
	};
	const saved = stateFile ? loadState(stateFile) : undefined;
	const token = givenToken ?? saved?.token ?? randomBytes(24).toString('base64url');
	const store = new ObjectStore();
	const persistence = stateFile ? persistStore(store, stateFile, token, saved) : undefined;
	const faults = new Faults();
	const controller = new Controller(store, faults, emulatorOptions);
	const namespaces = new NamespaceLifecycle(store, controller, emulatorOptions);
	const admission = new AdmissionChain(store, namespaces);
	controller.admitPod = (pod) => admission.create(resourceTypeForKind('Pod'), pod);
	const certManager = new CertManager(store, admission, emulatorOptions);
	const contents = new VolumeContents();
	const snapshots = new SnapshotController(store, emulatorOptions, contents);
	/** The volume a claim is bound to; a claim that is not bound has no files to read or write. */
	const volumeOf = (namespace: string, claim: string) => {
		const object = store.get(resourceTypeForKind('PersistentVolumeClaim'), namespace, claim);
		const volume = (object?.spec as { volumeName?: string } | undefined)?.volumeName;
		if (!object || (object.status as { phase?: string } | undefined)?.phase !== 'Bound' || !volume) {
			throw new Error(`PersistentVolumeClaim ${namespace}/${claim} is not bound to a volume`);
		}
		return volume;
	};
	const metrics = new PodMetricsApi(store, emulatorOptions, (pod) => controller.kubelet.isRunning(pod));
	const openLogStreams = new Set<ServerResponse>();
	const requests: RequestRecord[] = [];
	const counters = { requests: 0 };
	const stats = (): EmulatorStats => ({
		openLogStreams: openLogStreams.size,
		objects: store.counts(RESOURCE_TYPES),
		requests: counters.requests
	});

	createSystemNamespaces(store, initialNamespaces);

	const api = new ApiServer(
		{ store, controller, admission, namespaces, metrics, faults, token, openLogStreams, requests, counters, stats },
		emulatorOptions
	);
	const server = await listen(api, options.port);
	controller.start();
	certManager.start();
	snapshots.start();
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
			for (const [key, value] of Object.entries(changes)) {
				if (value !== undefined) Object.assign(emulatorOptions, { [key]: value });
			}
		},
		stats,
		list: (kind, namespace) => store.list(resourceTypeForKind(kind), namespace).map((object) => clone(object)),
		get: (kind, namespace, name) => {
			const object = store.get(resourceTypeForKind(kind), namespace, name);
			return object ? clone(object) : undefined;
		},
		volumeFiles: (namespace, claim) => contents.files(volumeOf(namespace, claim)),
		writeVolumeFile: (namespace, claim, path, content) => contents.write(volumeOf(namespace, claim), path, content),
		settled: () => controller.settled(),
		stop() {
			stopped ??= new Promise<void>((resolve) => {
				controller.stop();
				namespaces.stop();
				certManager.stop();
				snapshots.stop();
				persistence?.close();
				for (const res of openLogStreams) res.end();
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return stopped;
		}
	};
}
