import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify, notifyMany } from '../../src/lib/server/notifications/service';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { scaled } from '../support/timeouts';
import { expectError } from '../support/errors';
import { refusalOf } from '../../src/lib/server/trpc/init';
import type { LiveEvent } from '../../src/lib/server/events';
import { applyBalanceChange, type BalanceChange } from '../../src/lib/server/wallet/ledger';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

/** A charge of the customer's balance, its key made from `key`. */
const charge = (userId: string, key: string): BalanceChange => ({
	userId,
	type: 'ADMIN_ADJUSTMENT',
	amount: -1,
	idempotencyKey: `notifications-test:${userId}:${key}`,
	description: 'Test charge',
	at: new Date(),
	paymentMethod: 'ADMIN_MANUAL'
});

const note = (userId: string, title: string) =>
	notify(runtime.db, { userId, type: 'WALLET_ADJUSTED', title, body: `${title} body` });

/**
 * Resolves once this process has received `count` notification events for the user. They
 * arrive by NOTIFY after their commit, on a connection of their own: one sent before a stream
 * opens can still reach it after it opened.
 */
function notificationsDelivered(userId: string, count: number) {
	return new Promise<void>((resolve) => {
		let seen = 0;
		const stop = runtime.events.listen((event) => {
			if (event.type !== 'notification' || event.userId !== userId || ++seen < count) return;
			stop();
			resolve();
		});
	});
}

describe('notifications', () => {
	it('are listed newest first, counted while unread, and marked read', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		await note(user.id, 'First');
		await note(user.id, 'Second');
		expect((await api.notifications.list()).items.map((n) => n.title)).toEqual(['Second', 'First']);
		expect(await api.notifications.unreadCount()).toBe(2);
		const [latest] = (await api.notifications.list()).items;
		expect(await api.notifications.markRead({ ids: [latest.id] })).toEqual({ marked: 1 });
		expect(await api.notifications.unreadCount()).toBe(1);
		expect(await api.notifications.markRead({})).toEqual({ marked: 1 });
		expect(await api.notifications.unreadCount()).toBe(0);
	});

	it('are all reachable page by page, however many, with the unread count of the whole list', async () => {
		const user = await createUser(runtime);
		const other = await createUser(runtime);
		const api = await callerFor(runtime, user);
		// One statement, as a renewal sweep writes them: they share their creation time.
		const written = await notifyMany(
			runtime.db,
			Array.from({ length: 57 }, (_, index) => ({
				userId: user.id,
				type: 'WALLET_ADJUSTED' as const,
				title: `Notice ${index}`,
				body: 'Credit'
			}))
		);
		await note(other.id, 'Not yours');

		const first = await api.notifications.list();
		expect(first).toMatchObject({ total: 57, unread: 57, page: 1, pageSize: 25, pageCount: 3 });
		const pages = [first, await api.notifications.list({ page: 2 }), await api.notifications.list({ page: 3 })];
		expect(pages.map((page) => page.items.length)).toEqual([25, 25, 7]);
		const seen = pages.flatMap((page) => page.items.map((n) => n.id));
		expect(new Set(seen).size).toBe(57);
		expect(new Set(seen)).toEqual(new Set(written));

		// Every notice on the first two pages read: the third page's still count, and all can be cleared.
		await api.notifications.markRead({ ids: seen.slice(0, 50) });
		const firstAgain = await api.notifications.list();
		expect(firstAgain.items.every((n) => n.readAt !== null)).toBe(true);
		expect(firstAgain.unread).toBe(7);
		expect(await api.notifications.unreadCount()).toBe(7);
		expect(await api.notifications.markRead({})).toEqual({ marked: 7 });
		expect(await api.notifications.list({ page: 3 })).toMatchObject({ unread: 0, total: 57 });

		// A page past the last is empty; sizes and pages out of bounds are refused, naming the field.
		expect((await api.notifications.list({ page: 4 })).items).toEqual([]);
		expect((await api.notifications.list({ page: 2, pageSize: 50 })).items.map((n) => n.id)).toEqual(seen.slice(50));
		for (const [field, input] of [
			['page', { page: 0 }],
			['page', { page: 1.5 }],
			['page', { page: 100_001 }],
			['pageSize', { pageSize: 0 }],
			['pageSize', { pageSize: 101 }]
		] as const) {
			expect(refusalOf(await expectError(api.notifications.list(input), 'BAD_REQUEST')).field).toBe(field);
		}
	});

	it('are private to their owner', async () => {
		const owner = await createUser(runtime);
		const other = await createUser(runtime);
		await note(owner.id, 'Private');
		const otherApi = await callerFor(runtime, other);
		expect(await otherApi.notifications.list()).toMatchObject({ items: [], total: 0, unread: 0 });
		const [mine] = (await (await callerFor(runtime, owner)).notifications.list()).items;
		expect(await otherApi.notifications.markRead({ ids: [mine.id] })).toEqual({ marked: 0 });
		expect(await (await callerFor(runtime, owner)).notifications.unreadCount()).toBe(1);
	});

	it('stream live to their owner only, and the stream ends with its client', async () => {
		const user = await createUser(runtime);
		const other = await createUser(runtime);
		const controller = new AbortController();
		const api = await callerFor(runtime, user, { signal: controller.signal });
		const stream = (await api.notifications.stream())[Symbol.asyncIterator]();

		expect((await stream.next()).value).toEqual({ unread: 0, latest: null, balance: { amount: 0, version: 0 } });
		const waiting = stream.next();
		await note(other.id, 'Not for you');
		await note(user.id, 'Your app is running');
		const update = await waiting;
		expect(update.value).toMatchObject({ unread: 1, latest: { title: 'Your app is running' } });
		expect(runtime.events.openStreams()).toBe(1);

		controller.abort();
		await stream.return?.(undefined);
		await expect.poll(() => runtime.events.openStreams(), { timeout: scaled(1_000) }).toBe(0);
	});

	it('a stream listens before its snapshot is read: a notice sent while it is read still reaches the stream', async () => {
		const user = await createUser(runtime);
		const controller = new AbortController();
		const mine = (event: LiveEvent): event is LiveEvent => event.type === 'notification' && event.userId === user.id;
		const stream = runtime.events.stream(mine, controller.signal);
		// The first item says "read the snapshot now"; the stream is listening from then on.
		expect((await stream.next()).value).toEqual({ type: 'resync' });
		const delivered = notificationsDelivered(user.id, 1);
		await note(user.id, 'Sent while the snapshot is read');
		await delivered;
		expect((await stream.next()).value).toMatchObject({ type: 'notification', userId: user.id });
		controller.abort();
		await stream.return(undefined);
	});

	it('stream the balance with each notice, newer by version than what a page read before it', async () => {
		const user = await createUser(runtime, { credit: 5_000 });
		const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const controller = new AbortController();
		const api = await callerFor(runtime, user, { signal: controller.signal });
		const read = await api.wallet.balance();
		expect(read).toMatchObject({ balance: 5_000, balanceVersion: 1 });
		const stream = (await api.notifications.stream())[Symbol.asyncIterator]();
		expect((await stream.next()).value).toMatchObject({ balance: { amount: 5_000, version: 1 } });

		// An administrator's credit comes with a notice: the stream brings the balance it made.
		const waiting = stream.next();
		await (
			await callerFor(runtime, admin)
		).admin.wallet.adjust({
			userId: user.id,
			direction: 'credit',
			amount: 2_500,
			reason: 'Goodwill credit'
		});
		const update = (await waiting).value;
		expect(update).toMatchObject({ latest: { type: 'WALLET_ADJUSTED' }, balance: { amount: 7_500, version: 2 } });
		expect(update && update.balance.version).toBeGreaterThan(read.balanceVersion);
		// A batch moves each customer's balance once, with one guarded statement: one version.
		await applyBalanceChange(runtime.db, [
			{ ...charge(user.id, 'a'), amount: -500 },
			{ ...charge(user.id, 'b'), amount: -700 }
		]);
		expect(await api.wallet.balance()).toMatchObject({ balance: 6_300, balanceVersion: 3 });
		// A refused change moves nothing, the version included.
		await expect(applyBalanceChange(runtime.db, { ...charge(user.id, 'c'), amount: -10_000 })).rejects.toMatchObject({
			code: 'INSUFFICIENT_CREDIT'
		});
		expect(await api.wallet.balance()).toMatchObject({ balance: 6_300, balanceVersion: 3 });

		controller.abort();
		await stream.return?.(undefined);
	});

	it('stream the lower count when they are marked read, so the bell drops without a reload', async () => {
		const user = await createUser(runtime);
		const controller = new AbortController();
		const api = await callerFor(runtime, user, { signal: controller.signal });
		const delivered = notificationsDelivered(user.id, 2);
		await note(user.id, 'One');
		await note(user.id, 'Two');
		// The stream starts from the count of both; their own events must not reach it afterwards.
		await delivered;
		const stream = (await api.notifications.stream())[Symbol.asyncIterator]();
		expect((await stream.next()).value).toEqual({ unread: 2, latest: null, balance: { amount: 0, version: 0 } });

		const [latest] = (await api.notifications.list()).items;
		let waiting = stream.next();
		await api.notifications.markRead({ ids: [latest.id] });
		expect((await waiting).value).toEqual({ unread: 1, latest: null, balance: { amount: 0, version: 0 } });
		waiting = stream.next();
		await api.notifications.markRead({});
		expect((await waiting).value).toEqual({ unread: 0, latest: null, balance: { amount: 0, version: 0 } });

		controller.abort();
		await stream.return?.(undefined);
	});
});
