// Following an app's log across pod replacements: the last lines of the current pod, then
// new lines as they come; when the pod goes away (restart, upgrade) the stream re-attaches
// to its successor. Aborting the signal closes the cluster stream at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { logNoteText, type LogNote } from '$lib/log-notes';
import { m } from '$lib/paraglide/messages';
import type { Cluster } from '../kube/cluster';
import { ClusterError } from '../kube/errors';
import { instanceNames, instanceSelector } from '../kube/names';
import type { ServiceInstance } from '../db/schema';

/** The note as the stream's English `message` says it: a broken stream with its English detail. */
const inEnglish = (note: LogNote) =>
	note.key === 'interrupted' ? m.txt7_log_interrupted({ detail: note.detail }, { locale: 'en' }) : logNoteText(note, 'en');

/**
 * The note for a broken stream: the error's English as `detail`, and for the customer either the
 * HTTP status of an answer without words (the English sentence around it is MinisPod's) or the
 * cluster's or network's own words.
 */
function interruption(error: unknown): LogNote {
	const detail = error instanceof Error ? error.message : String(error);
	if (error instanceof ClusterError && error.wordless && error.status) {
		return { key: 'interrupted', detail, cause: { key: 'http_status', status: error.status } };
	}
	const words = error instanceof ClusterError && error.detail !== undefined ? error.detail : detail;
	return { key: 'interrupted', detail, cause: { key: 'said', words } };
}

export type LogEvent = { kind: 'line'; pod: string; text: string } | { kind: 'status'; message: string; note: LogNote };

type Options = { tailLines: number; signal: AbortSignal; retryMs?: number };

export async function* followInstanceLogs(
	cluster: Cluster,
	instance: Pick<ServiceInstance, 'id' | 'userId' | 'subdomain'>,
	options: Options
): AsyncGenerator<LogEvent> {
	const { signal } = options;
	const namespace = instanceNames(instance).namespace;
	const selector = instanceSelector(instance);
	const retryMs = options.retryMs ?? 1000;
	let attachedTo: string | null = null;
	let lastStatus = '';
	const status = (note: LogNote): LogEvent[] => {
		const message = inEnglish(note);
		if (message === lastStatus) return [];
		lastStatus = message;
		return [{ kind: 'status', message, note }];
	};
	const pause = () =>
		sleep(retryMs, undefined, { signal }).then(
			() => true,
			() => false
		);

	while (!signal.aborted) {
		let pod: string | undefined;
		try {
			const pods = await cluster.listPods(namespace, selector);
			pod = pods.find((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running')?.metadata?.name;
		} catch {
			yield* status({ key: 'cluster_silent' });
			if (!(await pause())) return;
			continue;
		}
		if (!pod) {
			yield* status({ key: 'waiting' });
			if (!(await pause())) return;
			continue;
		}

		// A new pod is read from its start; the same pod again (a dropped connection) from now on.
		const tailLines = attachedTo === null ? options.tailLines : pod === attachedTo ? 0 : undefined;
		yield* status({ key: attachedTo === null ? 'showing' : pod === attachedTo ? 'reconnected' : 'restarted', pod });
		attachedTo = pod;
		try {
			for await (const text of cluster.streamLogs(namespace, pod, { follow: true, tailLines, signal })) {
				yield { kind: 'line', pod, text };
			}
		} catch (error) {
			if (signal.aborted) return;
			yield* status(interruption(error));
		}
		if (!(await pause())) return;
	}
}
