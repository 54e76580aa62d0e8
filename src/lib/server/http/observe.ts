// The outermost request hook: times every request for the metrics (by SvelteKit route id,
// so the label set stays small) and tracks event streams so a shutdown can end them.
import { isHttpError, isRedirect, type Handle } from '@sveltejs/kit';
import { httpRequestDuration } from '../metrics';
import { trackEventStream } from './event-streams';

export const observeRequests: Handle = async ({ event, resolve }) => {
	const stop = httpRequestDuration.startTimer({ method: event.request.method });
	let status = 500;
	try {
		const response = await resolve(event);
		status = response.status;
		return trackEventStream(response);
	} catch (error) {
		if (isRedirect(error) || isHttpError(error)) status = error.status;
		throw error;
	} finally {
		stop({ route: event.route.id ?? 'unmatched', status: String(status) });
	}
};
