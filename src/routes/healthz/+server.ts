import { json } from '@sveltejs/kit';
import { checkHealth, getRuntime } from '$lib/server/runtime';
import { log } from '$lib/server/log';

/**
 * Whether the database and the queue answer. Anyone may ask, so the answer says only yes or
 * no; why not (a host, a port, a driver message) goes to the log.
 */
export const GET = async () => {
	const health = await checkHealth(getRuntime());
	if (!health.ok) log.warn({ database: health.database, queue: health.queue }, 'health check failed');
	return json(
		{ ok: health.ok, database: { ok: health.database.ok }, queue: { ok: health.queue.ok } },
		{ status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
