// Event streams end on shutdown with a reconnect hint, and the subscription behind each one
// is cancelled so its resources (cluster log streams, listeners) are released.
import { afterEach, describe, expect, it, vi } from 'vitest';

type Module = typeof import('../../../src/lib/server/http/event-streams');
let streams: Module;

afterEach(() => vi.resetModules());

async function load() {
	streams = await import('../../../src/lib/server/http/event-streams');
}

/** An endless SSE body like tRPC's, recording when it is cancelled. */
function endlessEventStream() {
	const state = { cancelled: false };
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode('data: {"kind":"line"}\n\n'));
		},
		cancel() {
			state.cancelled = true;
		}
	});
	return { response: new Response(body, { headers: { 'content-type': 'text/event-stream' } }), state };
}

async function readAll(response: Response) {
	return new TextDecoder().decode(await response.arrayBuffer());
}

describe('event streams', () => {
	it('are counted while open and end with a retry hint when the process drains', async () => {
		await load();
		const { response, state } = endlessEventStream();
		const tracked = streams.trackEventStream(response);
		expect(streams.openEventStreams()).toBe(1);
		const reader = tracked.body!.getReader();
		expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: {"kind":"line"}\n\n');

		streams.endEventStreams(2500);
		const rest: string[] = [];
		for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
			rest.push(new TextDecoder().decode(chunk.value));
		expect(rest.join('')).toBe('retry: 2500\n\n');
		expect(state.cancelled).toBe(true);
		expect(streams.openEventStreams()).toBe(0);
	});

	it('end at once when opened while draining, closing the connection', async () => {
		await load();
		streams.endEventStreams(1000);
		const { response, state } = endlessEventStream();
		const tracked = streams.trackEventStream(response);
		expect(tracked.headers.get('connection')).toBe('close');
		expect(await readAll(tracked)).toMatch(/retry: 1000\n\n$/);
		await vi.waitFor(() => expect(state.cancelled).toBe(true));
	});

	it('stop being counted when the client goes away, and leave other responses alone', async () => {
		await load();
		const { response, state } = endlessEventStream();
		const tracked = streams.trackEventStream(response);
		await tracked.body!.cancel();
		expect(state.cancelled).toBe(true);
		expect(streams.openEventStreams()).toBe(0);
		const page = new Response('<p>hi</p>', { headers: { 'content-type': 'text/html' } });
		expect(streams.trackEventStream(page)).toBe(page);
	});
});
