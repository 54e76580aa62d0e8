// `npm run bench`: how fast the admin panel answers on a business of some size
// (bench/business.ts: 10,000 customers, 100,000 ledger rows, ...): every analytics query
// and every admin list, timed through the tRPC caller as the panel calls them.
// Prints the figures against the 200 ms goal (nothing fails on timing).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { REPORT_NAMES, presetRange } from '../src/lib/analytics';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../tests/support/runtime';
import { percentile } from './stats';
import { seedBusiness } from './business';

let runtime: TestRuntime;

let api: Awaited<ReturnType<typeof callerFor>>;
beforeAll(async () => {
	runtime = await startTestRuntime();
	api = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
	await seedBusiness(runtime);
});
afterAll(() => runtime?.close());

/** Median and slowest of several runs of one call (after a warm-up). */
async function measure(label: string, call: () => Promise<unknown>, runs = 7) {
	await call();
	const samples: number[] = [];
	for (let i = 0; i < runs; i++) {
		const started = performance.now();
		await call();
		samples.push(performance.now() - started);
	}
	const sorted = samples.sort((a, b) => a - b);
	const p50 = percentile(sorted, 50);
	return {
		query: label,
		p50: `${p50.toFixed(1)} ms`,
		max: `${sorted.at(-1)!.toFixed(1)} ms`,
		'under 200 ms': p50 < 200 ? 'yes' : 'NO'
	};
}

describe('admin panel on 10,000 customers and 100,000 ledger rows', () => {
	it('times every analytics query', async () => {
		const rows = [];
		for (const [label, range] of [
			['last 90 days', presetRange('90d')],
			['this year', presetRange('year')],
			[
				'two years by month',
				{ ...presetRange('year'), from: `${Number(presetRange('year').from.slice(0, 4)) - 1}-01-01`, by: 'month' as const }
			]
		] as const) {
			rows.push(await measure(`overview, ${label}`, () => api.admin.analytics.overview(range)));
			for (const report of REPORT_NAMES) {
				rows.push(await measure(`${report}, ${label}`, () => api.admin.analytics.report({ ...range, report })));
			}
		}
		console.log('\nAnalytics (through the tRPC caller)');
		console.table(rows);
	});

	it('times every admin list', async () => {
		const rows = [
			await measure('customers, newest first', () => api.admin.customers.list({})),
			await measure('customers, search', () => api.admin.customers.list({ q: 'customer 42' })),
			await measure('customers, by monthly spend', () => api.admin.customers.list({ sort: 'spend', order: 'desc' })),
			await measure('customers, by live subscriptions', () =>
				api.admin.customers.list({ sort: 'live', order: 'desc', page: 40 })
			),
			await measure('customers, past due', () => api.admin.customers.list({ filter: 'past_due' })),
			await measure('customers, balance above 1.000.000', () =>
				api.admin.customers.list({ balanceAbove: 1_000_000, sort: 'balance' })
			),
			await measure('customer detail', async () => {
				const { items } = await api.admin.customers.list({ q: 'bench4242@' });
				return api.admin.customers.get({ userId: items[0].id });
			}),
			await measure('subscriptions', () => api.admin.subscriptions.list({ page: 1, pageSize: 25 })),
			await measure('subscriptions, active, search', () =>
				api.admin.subscriptions.list({ status: 'ACTIVE', q: 'customer 77', page: 1, pageSize: 25 })
			),
			await measure('apps', () => api.admin.operations.apps({})),
			await measure('apps, failed', () => api.admin.operations.apps({ filter: 'error' })),
			await measure('apps, unhealthy', () => api.admin.operations.apps({ filter: 'unhealthy' })),
			await measure('apps, stuck over 10 minutes', () => api.admin.operations.apps({ filter: 'stuck', minutes: 10 })),
			await measure('failed jobs', () => api.admin.operations.failedJobs({})),
			await measure('webhook log', () => api.admin.operations.webhooks({})),
			await measure('webhook log, forged', () => api.admin.operations.webhooks({ outcome: 'rejected_signature', page: 20 })),
			await measure('audit log', () => api.admin.operations.audit({})),
			await measure('audit log, by action', () => api.admin.operations.audit({ action: 'user.' })),
			await measure('audit log, by actor and time', () =>
				api.admin.operations.audit({ actor: 'test user', ...presetRange('30d') })
			),
			await measure('catalog editor services', () => api.admin.catalog.services()),
			await measure('slots', () => api.admin.quota.overview())
		];
		console.log('\nAdmin lists (through the tRPC caller)');
		console.table(rows);
	});
});
