// Readiness: database and queue reachable, and not shutting down (a draining process leaves
// the Service's endpoints so new requests go to the other replicas).
import { json } from '@sveltejs/kit';
import { checkHealth, getRuntime } from '$lib/server/runtime';

export const GET = async () => {
	const runtime = getRuntime();
	const health = runtime.draining ? { ok: false as const, draining: true } : { ...(await checkHealth(runtime)), draining: false };
	return json(health, { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
