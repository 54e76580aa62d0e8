// Liveness: the process answers. Deliberately no database check, so an outage of PostgreSQL
// makes pods unready instead of having Kubernetes restart every one of them.
import { json } from '@sveltejs/kit';

export const GET = () => json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
