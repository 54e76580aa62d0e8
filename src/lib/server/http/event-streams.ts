// The server-sent event streams this process has open (tRPC subscriptions: live logs,
// instance events, notifications), so a shutdown can end them in a way browsers resume
// from: a `retry:` field sets how long EventSource waits before reconnecting (WHATWG HTML,
// "Server-sent events", §9.2.6), and closing the stream then makes it reconnect, to another
// replica once this one has left the Service. tRPC resumes tracked streams from the last
// event id it saw.

const open = new Set<() => void>();
let ending: { retryMs: number } | undefined;

const isEventStream = (response: Response) =>
	Boolean(response.body) && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');

/**
 * The response with its body tracked when it is an event stream: counted while open, and
 * ended with a reconnect hint by `endEventStreams` (at once if the process is draining).
 */
export function trackEventStream(response: Response): Response {
	if (!isEventStream(response)) return response;
	const reader = response.body!.getReader();
	const encoder = new TextEncoder();
	let finished = false;
	let end = () => {};
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			end = () => {
				if (finished) return;
				finished = true;
				open.delete(end);
				controller.enqueue(encoder.encode(`retry: ${ending?.retryMs ?? 1000}\n\n`));
				controller.close();
				// Ends the subscription's generator, so its cluster log stream and listeners close.
				reader.cancel().catch(() => undefined);
			};
			open.add(end);
		},
		async pull(controller) {
			if (finished) return;
			try {
				const { done, value } = await reader.read();
				if (finished) return;
				if (done) {
					finished = true;
					open.delete(end);
					controller.close();
				} else controller.enqueue(value);
			} catch (error) {
				finished = true;
				open.delete(end);
				controller.error(error);
			}
		},
		cancel(reason) {
			finished = true;
			open.delete(end);
			return reader.cancel(reason);
		}
	});
	if (ending) queueMicrotask(end);
	const headers = new Headers(response.headers);
	// The connection closes with the stream, so the reconnect may reach another replica.
	if (ending) headers.set('connection', 'close');
	return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

export const openEventStreams = () => open.size;

/** Ends every open event stream, and every one opened from now on, telling browsers to reconnect after `retryMs`. */
export function endEventStreams(retryMs = 1000) {
	ending = { retryMs };
	for (const end of [...open]) end();
}
