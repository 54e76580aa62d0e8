// The log viewer's note when the stream breaks, read in both languages: an answer of the
// Kubernetes API without words of its own is told by its HTTP status in the reader's language
// (the English sentence with the pod stays in the event's message), the API's own words as
// they came. The cluster client talks to a small API server on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/lib/server/kube/cluster';
import { followInstanceLogs, type LogEvent } from '../../../src/lib/server/instances/logs';
import { logNoteText } from '../../../src/lib/log-notes';

const POD = 'memos-7d9f-abcde';
const instance = { id: 'i', userId: 'u1', subdomain: 'memos' };

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** An API server listing one running pod and refusing its log with `status` and `body`. */
async function clusterRefusingLogs(status: number, body: string): Promise<Cluster> {
	server = http.createServer((request, response) => {
		if (request.url?.includes(`/pods/${POD}/log`)) {
			response.writeHead(status, body ? { 'content-type': 'application/json' } : {});
			return response.end(body);
		}
		const pod = { metadata: { name: POD }, status: { phase: 'Running' } };
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [pod] }));
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const kubeconfig = {
		apiVersion: 'v1',
		kind: 'Config',
		// client-node refuses plain HTTP unless TLS verification is off.
		clusters: [{ name: 'test', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
		users: [{ name: 'test', user: {} }],
		contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
		'current-context': 'test'
	};
	return Cluster.fromKubeconfigString(JSON.stringify(kubeconfig), { retry: { attempts: 1 } });
}

/** The stream's events up to its first note about a break. */
async function untilInterrupted(cluster: Cluster) {
	const controller = new AbortController();
	const events: LogEvent[] = [];
	for await (const event of followInstanceLogs(cluster, instance, { tailLines: 10, signal: controller.signal, retryMs: 5 })) {
		events.push(event);
		if (event.kind === 'status' && event.note.key === 'interrupted') {
			controller.abort();
			return { events, interrupted: event };
		}
	}
	throw new Error('the stream ended without a break');
}

describe('a broken log stream, as the customer reads it', () => {
	it('tells an answer without words by its HTTP status, in Indonesian and English', async () => {
		const { events, interrupted } = await untilInterrupted(await clusterRefusingLogs(503, ''));
		expect(events[0]).toMatchObject({ kind: 'status', note: { key: 'showing', pod: POD } });
		expect(interrupted.note).toMatchObject({ key: 'interrupted', cause: { key: 'http_status', status: 503 } });
		expect(logNoteText(interrupted.note, 'id')).toBe(
			'Aliran log terputus (Kubernetes API membalas HTTP 503); menyambung kembali…'
		);
		expect(logNoteText(interrupted.note, 'en')).toBe('Log stream interrupted (Kubernetes API returned HTTP 503); reconnecting…');
		// The English naming the pod stays for other clients and the server's logs.
		expect(interrupted.message).toBe(
			`Log stream interrupted (Kubernetes API returned HTTP 503 for the log of pod ${POD}); reconnecting…`
		);
	});

	it('quotes the API’s own words as they came', async () => {
		const words = `container "app" in pod "${POD}" is waiting to start: ContainerCreating`;
		const refusal = JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'BadRequest', message: words, code: 400 });
		const { interrupted } = await untilInterrupted(await clusterRefusingLogs(400, refusal));
		expect(interrupted.note).toMatchObject({ key: 'interrupted', cause: { key: 'said', words } });
		expect(logNoteText(interrupted.note, 'id')).toBe(`Aliran log terputus (${words}); menyambung kembali…`);
		expect(logNoteText(interrupted.note, 'en')).toBe(`Log stream interrupted (${words}); reconnecting…`);
	});
});
