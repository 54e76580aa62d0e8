// Following an app's log across pod replacements: the last lines of the current pod, then
// new lines as they come; when the pod goes away (restart, upgrade) the stream re-attaches
// to its successor. Aborting the signal closes the cluster stream at once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from '../kube/cluster';
import { instanceNames, instanceSelector } from '../kube/names';
import type { ServiceInstance } from '../db/schema';

export type LogEvent = { kind: 'line'; pod: string; text: string } | { kind: 'status'; message: string };

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
	const status = (message: string): LogEvent[] => {
		if (message === lastStatus) return [];
		lastStatus = message;
		return [{ kind: 'status', message }];
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
			yield* status('The cluster is not answering; retrying…');
			if (!(await pause())) return;
			continue;
		}
		if (!pod) {
			yield* status('Waiting for the app to run…');
			if (!(await pause())) return;
			continue;
		}

		// A new pod is read from its start; the same pod again (a dropped connection) from now on.
		const tailLines = attachedTo === null ? options.tailLines : pod === attachedTo ? 0 : undefined;
		yield* status(
			attachedTo === null
				? `Showing logs of ${pod}`
				: pod === attachedTo
					? `Reconnected to ${pod}`
					: `The app restarted: now showing ${pod}`
		);
		attachedTo = pod;
		try {
			for await (const text of cluster.streamLogs(namespace, pod, { follow: true, tailLines, signal })) {
				yield { kind: 'line', pod, text };
			}
		} catch (error) {
			if (signal.aborted) return;
			yield* status(`Log stream interrupted (${error instanceof Error ? error.message : 'unknown error'}); reconnecting…`);
		}
		if (!(await pause())) return;
	}
}
