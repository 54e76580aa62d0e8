// The bare baseline of the request-path benchmark: node:http + pg, no framework, running the
// SQL each MinisPod case needs (the session lookup first, as MinisPod's hook does) and
// answering JSON, or for the catalog page an HTML string. MinisPod's figures are read as a
// ratio of this server's, measured in the same run on the same database.
// Started by bench/request-path.bench.ts: DATABASE_URL in the environment; prints its port.
import http from 'node:http';
import { createHash } from 'node:crypto';
import pg from 'pg';

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// The session lookup reads the header's balance too, as MinisPod's does.
const SESSION = `SELECT s.id, s.user_id, s.expires_at, u.role, u.is_active, u.credit_balance FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`;
const SERVICES = `SELECT s.id, s.slug, s.name, s.description, s.icon, s.version, s.tags, s.is_featured, c.slug AS category_slug, c.name AS category_name,
	(SELECT coalesce(json_agg(json_build_object('monthlyPrice', p.monthly_price, 'totalQuota', p.total_quota, 'usedQuota', p.used_quota)), '[]')
		FROM service_plans p WHERE p.service_id = s.id AND p.is_active) AS plans
	FROM services s JOIN service_categories c ON c.id = s.category_id
	WHERE s.is_active AND s.is_public AND c.is_visible ORDER BY s.sort_order, s.name`;
const CATEGORIES = `SELECT c.id, c.name, c.slug, c.description, c.icon, count(s.id) AS service_count
	FROM service_categories c LEFT JOIN services s ON s.category_id = c.id AND s.is_active AND s.is_public
	WHERE c.is_visible GROUP BY c.id ORDER BY c.sort_order, c.name`;
const WALLET = `SELECT credit_balance, total_top_up, total_spent,
	(SELECT count(*) FROM transactions t WHERE t.user_id = u.id AND t.type = 'TOP_UP' AND t.status = 'PENDING')::int AS pending
	FROM users u WHERE id = $1`;
// MinisPod's history page: the columns its view reads, a failed row's metadata, and the count
// of all the customer's rows in the same statement (src/lib/server/wallet/history.ts).
const HISTORY = `SELECT id, type, status, amount, balance_before, balance_after, description, text,
	CASE WHEN status = 'FAILED' THEN metadata ELSE '{}' END AS metadata, payment_method, order_id, payment_proof,
	flagged_at, flag_resolved_at, created_at, completed_at, count(*) OVER () AS total
	FROM transactions WHERE user_id = $1 ORDER BY coalesce(completed_at, created_at) DESC, created_at DESC, id DESC LIMIT 20 OFFSET 0`;

// The customer's dashboard (My subscriptions): each subscription with its plan, service and
// newest app, the waitlist with each entry's place in line, and what renews (against the
// balance the session lookup read).
const SUBSCRIPTIONS = `SELECT sub.id, sub.name, sub.status, sub.start_date, sub.end_date, sub.monthly_price, sub.auto_renew,
	sub.cancel_at_period_end, sub.grace_period_end, sub.is_grant, p.id AS plan_id, p.name AS plan_name, p.plan_type,
	s.id AS service_id, s.slug, s.name AS service_name, s.icon,
	(SELECT row_to_json(i) FROM (SELECT id, name, status, status_reason, subdomain, health_status, created_at FROM service_instances
		WHERE subscription_id = sub.id ORDER BY created_at DESC LIMIT 1) i) AS instance
	FROM subscriptions sub JOIN service_plans p ON p.id = sub.plan_id JOIN services s ON s.id = sub.service_id
	WHERE sub.user_id = $1 ORDER BY sub.created_at DESC`;
const WAITLIST = `SELECT w.id, w.status, w.created_at, p.name AS plan_name, s.name AS service_name,
	(SELECT count(*) FROM waitlist_entries x WHERE x.plan_id = w.plan_id AND x.status = 'WAITING' AND x.created_at < w.created_at) AS ahead
	FROM waitlist_entries w JOIN service_plans p ON p.id = w.plan_id JOIN services s ON s.id = p.service_id
	WHERE w.user_id = $1 AND w.status IN ('WAITING', 'NOTIFIED') ORDER BY w.created_at DESC`;
const RENEWING = `SELECT sub.id, sub.name, s.name AS service_name, sub.status, sub.end_date, sub.grace_period_end, sub.monthly_price
	FROM subscriptions sub JOIN services s ON s.id = sub.service_id
	WHERE sub.user_id = $1 AND sub.status IN ('ACTIVE', 'PAST_DUE') AND sub.auto_renew`;

type Row = Record<string, unknown>;

async function session(request: http.IncomingMessage): Promise<Row | null> {
	const token = /minispod_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
	if (!token) return null;
	const id = createHash('sha256').update(token).digest('hex');
	const { rows } = await pool.query({ name: 'session', text: SESSION, values: [id] });
	const row = rows[0];
	return row && row.is_active && (row.expires_at as Date).getTime() > Date.now() ? row : null;
}

async function services() {
	const { rows } = await pool.query({ name: 'services', text: SERVICES });
	return rows.map((row) => {
		const own = row.plans as { monthlyPrice: number; totalQuota: number; usedQuota: number }[];
		const available = own.reduce((sum, plan) => sum + Math.max(0, plan.totalQuota - plan.usedQuota), 0);
		return {
			id: row.id,
			slug: row.slug,
			name: row.name,
			description: row.description,
			icon: row.icon,
			version: row.version,
			tags: row.tags,
			isFeatured: row.is_featured,
			category: { slug: row.category_slug, name: row.category_name },
			planCount: own.length,
			startingPrice: own.length ? Math.min(...own.map((plan) => plan.monthlyPrice)) : null,
			availableSlots: available,
			soldOut: own.length > 0 && available === 0
		};
	});
}

const escape = (text: unknown) =>
	String(text ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

async function catalogPage(balance: number) {
	const [categories, list] = await Promise.all([pool.query({ name: 'categories', text: CATEGORIES }), services()]);
	const card = (service: Awaited<ReturnType<typeof services>>[number]) =>
		`<a href="/catalog/${escape(service.slug)}"><h3>${escape(service.name)}</h3><p>${escape(service.description)}</p>` +
		`<span>${escape(service.category.name)}</span><span>${service.startingPrice ?? ''}</span><span>${service.availableSlots}</span></a>`;
	return (
		`<!doctype html><html><head><title>Catalog</title></head><body><header>${balance}</header><nav>` +
		categories.rows.map((c) => `<a href="?category=${escape(c.slug)}">${escape(c.name)} (${c.service_count})</a>`).join('') +
		`</nav><section>${list
			.filter((s) => s.isFeatured)
			.map(card)
			.join('')}</section>` +
		`<section>${list.map(card).join('')}</section></body></html>`
	);
}

async function dashboardPage(userId: string, balance: number) {
	const query = (name: string, text: string) => pool.query({ name, text, values: [userId] });
	const [list, waitlist, renewing] = await Promise.all([
		query('subscriptions', SUBSCRIPTIONS),
		query('waitlist', WAITLIST),
		query('renewing', RENEWING)
	]);
	const monthly = renewing.rows.reduce((sum, row) => sum + Number(row.monthly_price), 0);
	const card = (row: Row) => {
		const instance = row.instance as Row | null;
		return (
			`<article><h2>${escape(row.name ?? row.service_name)}</h2><p>${escape(row.service_name)} ${escape(row.plan_name)}</p>` +
			`<span>${escape(row.status)}</span><span>${row.monthly_price}</span><time>${(row.end_date as Date).toISOString()}</time>` +
			(instance ? `<a href="/instances/${escape(instance.id)}">${escape(instance.status)}</a>` : '') +
			`</article>`
		);
	};
	return (
		`<!doctype html><html><head><title>My subscriptions</title></head><body>` +
		`<header>${balance}</header>` +
		`<p>${monthly} / ${renewing.rows.length} / ${balance >= monthly}</p><section>${list.rows.map(card).join('')}</section>` +
		`<section>${waitlist.rows.map((row) => `<p>${escape(row.service_name)} ${escape(row.plan_name)} #${Number(row.ahead) + 1}</p>`).join('')}</section>` +
		`</body></html>`
	);
}

async function route(path: string, userId: string, balance: number): Promise<[string, string]> {
	switch (path) {
		case '/catalog.services':
			return ['application/json', JSON.stringify(await services())];
		case '/wallet.balance': {
			const wallet = await pool.query({ name: 'wallet', text: WALLET, values: [userId] });
			const row = wallet.rows[0];
			return [
				'application/json',
				JSON.stringify({
					balance: row.credit_balance,
					totalTopUp: row.total_top_up,
					totalSpent: row.total_spent,
					pendingTopUps: row.pending
				})
			];
		}
		case '/wallet.transactions': {
			const { rows } = await pool.query({ name: 'history', text: HISTORY, values: [userId] });
			return ['application/json', JSON.stringify({ items: rows, total: Number(rows[0]?.total ?? 0) })];
		}
		case '/catalog':
			return ['text/html; charset=utf-8', await catalogPage(balance)];
		case '/subscriptions':
			return ['text/html; charset=utf-8', await dashboardPage(userId, balance)];
		default:
			throw new Error(`no route ${path}`);
	}
}

const server = http.createServer(async (request, response) => {
	try {
		const found = await session(request);
		if (!found) {
			response.writeHead(401).end();
			return;
		}
		const [type, body] = await route(request.url ?? '/', found.user_id as string, Number(found.credit_balance));
		response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
	} catch (error) {
		response.writeHead(500).end(String(error));
	}
});
server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.once('SIGTERM', () => {
	server.close();
	server.closeAllConnections();
	void pool.end();
});
