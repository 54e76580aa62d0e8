// Fault injection: what can go wrong on a real cluster, on demand. Pod faults are decided
// when a pod is created (a fixed image or a cleared fault only helps the next pod, as on a
// real cluster); API faults and latency apply to the next matching requests.

/** Which pods a fault hits; every given field must match. No fields: every new pod. */
export type PodMatch = {
	namespace?: string;
	/** Name of the Deployment that owns the pod. */
	deployment?: string;
	/** Substring of (or pattern for) the container image. */
	image?: string | RegExp;
};

export type ImagePullFault = PodMatch & { message?: string };
export type CrashLoopFault = PodMatch & { exitCode?: number; message?: string };

export type RequestMatch = {
	/** HTTP method, e.g. 'POST'; any when absent. */
	method?: string;
	/** Substring of (or pattern for) the request path; any when absent. */
	path?: string | RegExp;
};

export type ApiErrorFault = RequestMatch & {
	status: number;
	/** How many matching requests fail (default 1). */
	times?: number;
	message?: string;
	/** Sent as Retry-After (seconds), as the API server does with 429. */
	retryAfterSeconds?: number;
};

export type LatencyFault = RequestMatch & { ms: number; times?: number };

/** A request stopped at the server until the test lets it go. */
export type HeldRequest = {
	/** Resolves once a matching request has arrived and is waiting. */
	readonly reached: Promise<void>;
	/** Lets the request go on. */
	release(): void;
};

type Hold = { match: RequestMatch; arrive: () => void; released: Promise<void> };

export type FaultHandle = {
	readonly id: number;
	/** Times the fault has struck so far. */
	readonly hits: number;
	/** Requests it will still fail or delay (Infinity for pod faults). */
	readonly remaining: number;
	remove(): void;
};

type Entry<T> = { id: number; fault: T; hits: number; remaining: number };

export type PodFault = { kind: 'imagePull'; message: string } | { kind: 'crashLoop'; exitCode: number; message: string };

export type PodIdentity = { namespace: string; deployment?: string; image: string };

function matchesText(pattern: string | RegExp | undefined, value: string): boolean {
	if (pattern === undefined) return true;
	return typeof pattern === 'string' ? value.includes(pattern) : pattern.test(value);
}

function matchesPod(match: PodMatch, pod: PodIdentity): boolean {
	return (
		(match.namespace === undefined || match.namespace === pod.namespace) &&
		(match.deployment === undefined || match.deployment === pod.deployment) &&
		matchesText(match.image, pod.image)
	);
}

function matchesRequest(match: RequestMatch, method: string, path: string): boolean {
	return (match.method === undefined || match.method.toUpperCase() === method) && matchesText(match.path, path);
}

export class Faults {
	private nextId = 1;
	private imagePulls: Entry<ImagePullFault>[] = [];
	private crashLoops: Entry<CrashLoopFault>[] = [];
	private apiErrors: Entry<ApiErrorFault>[] = [];
	private latencies: Entry<LatencyFault>[] = [];
	private holds: Hold[] = [];

	private add<T>(list: Entry<T>[], fault: T, remaining: number): FaultHandle {
		const entry: Entry<T> = { id: this.nextId++, fault, hits: 0, remaining };
		list.push(entry);
		return {
			id: entry.id,
			get hits() {
				return entry.hits;
			},
			get remaining() {
				return entry.remaining;
			},
			remove: () => {
				const index = list.indexOf(entry);
				if (index >= 0) list.splice(index, 1);
			}
		};
	}

	/** New matching pods never pull their image: Pending, ErrImagePull then ImagePullBackOff. */
	failImagePull(fault: ImagePullFault = {}): FaultHandle {
		return this.add(this.imagePulls, fault, Infinity);
	}

	/** New matching pods start, then exit with `exitCode` again and again (CrashLoopBackOff). */
	crashLoop(fault: CrashLoopFault = {}): FaultHandle {
		return this.add(this.crashLoops, fault, Infinity);
	}

	/** The next `times` matching API requests fail with `status` and a Kubernetes Status body. */
	apiError(fault: ApiErrorFault): FaultHandle {
		return this.add(this.apiErrors, fault, fault.times ?? 1);
	}

	/** The next `times` matching requests (all when absent) are answered `ms` later. */
	latency(fault: LatencyFault): FaultHandle {
		return this.add(this.latencies, fault, fault.times ?? Infinity);
	}

	/**
	 * The next matching request waits, unanswered, until `release()`: a test can act between
	 * its arrival and its answer without guessing how long that window is.
	 */
	hold(match: RequestMatch): HeldRequest {
		let arrive!: () => void;
		let release!: () => void;
		const reached = new Promise<void>((resolve) => (arrive = resolve));
		const released = new Promise<void>((resolve) => (release = resolve));
		this.holds.push({ match, arrive, released });
		return { reached, release };
	}

	clear() {
		this.imagePulls = [];
		this.crashLoops = [];
		this.apiErrors = [];
		this.latencies = [];
		this.holds = [];
	}

	/** Remove one fault by id (for the HTTP control endpoint). */
	remove(id: number): boolean {
		for (const list of [this.imagePulls, this.crashLoops, this.apiErrors, this.latencies] as Entry<unknown>[][]) {
			const index = list.findIndex((entry) => entry.id === id);
			if (index >= 0) {
				list.splice(index, 1);
				return true;
			}
		}
		return false;
	}

	describe() {
		const summary = <T>(kind: string, list: Entry<T>[]) =>
			list.map((entry) => ({ id: entry.id, kind, hits: entry.hits, remaining: entry.remaining, ...entry.fault }));
		return [
			...summary('imagePull', this.imagePulls),
			...summary('crashLoop', this.crashLoops),
			...summary('apiError', this.apiErrors),
			...summary('latency', this.latencies)
		].map((fault) => ({ ...fault, remaining: Number.isFinite(fault.remaining) ? fault.remaining : null }));
	}

	/** The fault a new pod is born with, if any. */
	podFault(pod: PodIdentity): PodFault | undefined {
		const pull = this.imagePulls.find((entry) => matchesPod(entry.fault, pod));
		if (pull) {
			pull.hits += 1;
			return {
				kind: 'imagePull',
				message:
					pull.fault.message ??
					`rpc error: code = NotFound desc = failed to pull and unpack image "${pod.image}": failed to resolve reference "${pod.image}": not found`
			};
		}
		const crash = this.crashLoops.find((entry) => matchesPod(entry.fault, pod));
		if (crash) {
			crash.hits += 1;
			return {
				kind: 'crashLoop',
				exitCode: crash.fault.exitCode ?? 1,
				message: crash.fault.message ?? 'Error: could not open the data directory: permission denied'
			};
		}
		return undefined;
	}

	/** Consumes one matching API error, if any. */
	takeApiError(method: string, path: string): ApiErrorFault | undefined {
		const entry = this.apiErrors.find((candidate) => candidate.remaining > 0 && matchesRequest(candidate.fault, method, path));
		if (!entry) return undefined;
		entry.hits += 1;
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.apiErrors.splice(this.apiErrors.indexOf(entry), 1);
		return entry.fault;
	}

	/** What this request waits for before it is served, if a hold matches it (each holds one). */
	takeHold(method: string, path: string): Promise<void> | undefined {
		const index = this.holds.findIndex((hold) => matchesRequest(hold.match, method, path));
		if (index < 0) return undefined;
		const [hold] = this.holds.splice(index, 1);
		hold.arrive();
		return hold.released;
	}

	/** Total delay to add to this request. */
	takeLatency(method: string, path: string): number {
		let total = 0;
		for (const entry of [...this.latencies]) {
			if (entry.remaining <= 0 || !matchesRequest(entry.fault, method, path)) continue;
			entry.hits += 1;
			entry.remaining -= 1;
			total += entry.fault.ms;
			if (entry.remaining <= 0) this.latencies.splice(this.latencies.indexOf(entry), 1);
		}
		return total;
	}
}
