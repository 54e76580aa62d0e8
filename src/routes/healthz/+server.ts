import { json } from '@sveltejs/kit';
import { checkHealth, getRuntime } from '$lib/server/runtime';

export const GET = async () => {
	const health = await checkHealth(getRuntime());
	return json(health, { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
