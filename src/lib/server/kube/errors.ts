// What goes wrong talking to Kubernetes, as one error type with the HTTP status and the
// Kubernetes reason, and how long to wait before trying a transient failure again.
import { ApiException } from '@kubernetes/client-node';

export type ClusterErrorReason =
	// From the API server's Status objects
	| 'NotFound'
	| 'AlreadyExists'
	| 'Conflict'
	| 'Invalid'
	| 'BadRequest'
	| 'Forbidden'
	| 'Unauthorized'
	| 'TooManyRequests'
	| 'InternalError'
	| 'ServiceUnavailable'
	// Reaching the API server
	| 'NetworkError'
	// Rollouts
	| 'ImagePullFailed'
	| 'CrashLoop'
	| 'ConfigError'
	| 'StartFailed'
	| 'Unschedulable'
	| 'PodFailed'
	| 'Refused'
	| 'ProgressDeadlineExceeded'
	| 'Timeout'
	// Admission refusals, told apart from other 403s
	| 'QuotaExceeded'
	| 'NamespaceTerminating'
	// An object being deleted that must be gone before it can be made again
	| 'Terminating'
	| (string & {});

/**
 * What a rollout that did not become ready was held up by, as data (the error's message says
 * it in English): a pod failure (with the cluster's own words), a pod's state, or the
 * rollout's own progress. MinisPod's words for it are then written in the reader's language.
 */
export type RolloutHold =
	| { kind: 'failure'; reason: string; message: string; detail: string }
	| { kind: 'pod-waiting'; pod: string; reason: string }
	| { kind: 'pod-not-ready'; pod: string }
	| { kind: 'pod-pending'; pod: string }
	| {
			kind: 'rollout';
			phase: 'observing' | 'creating' | 'replacing' | 'becoming-ready' | 'done';
			updated: number;
			available: number;
			desired: number;
	  };

/** A failed cluster operation. `status` is the HTTP status, 0 when there was no response. */
export class ClusterError extends Error {
	readonly status: number;
	readonly reason: ClusterErrorReason;
	readonly retryable: boolean;
	/** From a Retry-After header, when the server sent one. */
	readonly retryAfterMs?: number;
	/** The cluster's own words inside a failure MinisPod describes (a pod's waiting message, ...). */
	readonly detail?: string;
	/** For a rollout that timed out: how long it was given. */
	readonly limitMs?: number;
	/** For a rollout that timed out or passed its deadline: what held it up. */
	readonly hold?: RolloutHold;
	/** The API server answered without words of its own: the message is MinisPod's (its HTTP status). */
	readonly wordless: boolean;

	constructor(
		message: string,
		options: {
			status?: number;
			reason: ClusterErrorReason;
			retryable?: boolean;
			retryAfterMs?: number;
			cause?: unknown;
			detail?: string;
			limitMs?: number;
			hold?: RolloutHold;
			wordless?: boolean;
		}
	) {
		super(message, { cause: options.cause });
		this.name = 'ClusterError';
		this.status = options.status ?? 0;
		this.reason = options.reason;
		this.retryable = options.retryable ?? false;
		this.retryAfterMs = options.retryAfterMs;
		this.detail = options.detail;
		this.limitMs = options.limitMs;
		this.hold = options.hold;
		this.wordless = options.wordless ?? false;
	}
}

const NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN',
	'ENOTFOUND',
	'UND_ERR_SOCKET'
]);

/** The reason, message and cause reasons of a Kubernetes Status body, when the body is one. */
export function parseStatusBody(body: unknown): { reason?: string; message?: string; causes?: string[] } {
	let value = body;
	if (typeof body === 'string') {
		try {
			value = JSON.parse(body);
		} catch {
			return { message: body.trim() || undefined };
		}
	}
	if (value && typeof value === 'object') {
		const status = value as { reason?: unknown; message?: unknown; details?: { causes?: { reason?: unknown }[] } };
		const causes = (status.details?.causes ?? []).map((cause) => cause.reason).filter((r): r is string => typeof r === 'string');
		return {
			reason: typeof status.reason === 'string' && status.reason ? status.reason : undefined,
			message: typeof status.message === 'string' ? status.message : undefined,
			...(causes.length ? { causes } : {})
		};
	}
	return {};
}

export const REASON_BY_STATUS: Record<number, ClusterErrorReason> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'NotFound',
	409: 'Conflict',
	422: 'Invalid',
	429: 'TooManyRequests',
	500: 'InternalError',
	503: 'ServiceUnavailable'
};

/**
 * Two 403 Forbidden answers mean something precise: ResourceQuota admission refused the
 * object ("exceeded quota: ..."), and NamespaceLifecycle refused new content in a namespace
 * that is being deleted (cause NamespaceTerminating).
 * https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#namespacelifecycle
 */
function admissionReason(status: number, parsed: ReturnType<typeof parseStatusBody>): ClusterErrorReason | undefined {
	if (status !== 403) return undefined;
	if (parsed.causes?.includes('NamespaceTerminating') || /because it is being terminated/.test(parsed.message ?? '')) {
		return 'NamespaceTerminating';
	}
	if (/exceeded quota|failed quota/.test(parsed.message ?? '')) return 'QuotaExceeded';
	return undefined;
}

/** Any error from client-node as a ClusterError (abort errors pass through unchanged). */
export function toClusterError(error: unknown): ClusterError {
	if (error instanceof ClusterError) return error;
	if (error instanceof ApiException) {
		const status = Number(error.code);
		const parsed = parseStatusBody(error.body);
		const headers = (error.headers ?? {}) as Record<string, string>;
		const retryAfter = Number(headers['retry-after'] ?? headers['Retry-After']);
		return new ClusterError(parsed.message ?? `Kubernetes API returned HTTP ${status}`, {
			status,
			wordless: parsed.message === undefined,
			reason:
				admissionReason(status, parsed) ??
				parsed.reason ??
				REASON_BY_STATUS[status] ??
				(status >= 500 ? 'InternalError' : 'BadRequest'),
			retryable: status >= 500 || status === 429,
			retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
			cause: error
		});
	}
	const code = (error as { code?: unknown } | undefined)?.code;
	const causeCode = ((error as { cause?: { code?: unknown } } | undefined)?.cause as { code?: unknown } | undefined)?.code;
	const isNetwork =
		(error as { name?: string } | undefined)?.name === 'FetchError' ||
		(typeof code === 'string' && NETWORK_CODES.has(code)) ||
		(typeof causeCode === 'string' && NETWORK_CODES.has(causeCode));
	const message = error instanceof Error ? error.message : String(error);
	if (isNetwork) {
		return new ClusterError(`Cannot reach the Kubernetes API: ${message}`, {
			reason: 'NetworkError',
			detail: message,
			retryable: true,
			cause: error
		});
	}
	return new ClusterError(message, { reason: 'InternalError', retryable: false, cause: error });
}

/** Aborted by the caller: not a cluster failure, so never retried or wrapped. */
export const isAbort = (error: unknown, signal?: AbortSignal) =>
	Boolean(signal?.aborted) || (error instanceof Error && error.name === 'AbortError');

// ---------------------------------------------------------------------------
// Retry with backoff
// ---------------------------------------------------------------------------

export type RetryPolicy = {
	/** Total attempts, the first included. */
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
};

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Delay before retry number `retry` (0 for the first retry): exponential from the base,
 * capped, with "equal jitter" (half fixed, half random) so callers do not retry in step.
 * A server's Retry-After wins when it is longer, still capped.
 */
export function backoffDelay(
	retry: number,
	policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
	options: { random?: () => number; retryAfterMs?: number } = {}
): number {
	const random = options.random ?? Math.random;
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	const jittered = exponential / 2 + (random() * exponential) / 2;
	const delay = Math.max(jittered, options.retryAfterMs ?? 0);
	return Math.round(Math.min(delay, policy.maxDelayMs));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal!.reason);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
