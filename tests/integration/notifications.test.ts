import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/lib/server/notifications/service';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { scaled } from '../support/timeouts';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

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
		expect((await api.notifications.list()).map((n) => n.title)).toEqual(['Second', 'First']);
		expect(await api.notifications.unreadCount()).toBe(2);
		const [latest] = await api.notifications.list();
		expect(await api.notifications.markRead({ ids: [latest.id] })).toEqual({ marked: 1 });
		expect(await api.notifications.unreadCount()).toBe(1);
		expect(await api.notifications.markRead({})).toEqual({ marked: 1 });
		expect(await api.notifications.unreadCount()).toBe(0);
	});

	it('are private to their owner', async () => {
		const owner = await createUser(runtime);
		const other = await createUser(runtime);
		await note(owner.id, 'Private');
		const otherApi = await callerFor(runtime, other);
		expect(await otherApi.notifications.list()).toEqual([]);
		const [mine] = await (await callerFor(runtime, owner)).notifications.list();
		expect(await otherApi.notifications.markRead({ ids: [mine.id] })).toEqual({ marked: 0 });
		expect(await (await callerFor(runtime, owner)).notifications.unreadCount()).toBe(1);
	});

	it('stream live to their owner only, and the stream ends with its client', async () => {
		const user = await createUser(runtime);
		const other = await createUser(runtime);
		const controller = new AbortController();
		const api = await callerFor(runtime, user, { signal: controller.signal });
		const stream = (await api.notifications.stream())[Symbol.asyncIterator]();

		expect((await stream.next()).value).toEqual({ unread: 0, latest: null });
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
		expect((await stream.next()).value).toEqual({ unread: 2, latest: null });

		const [latest] = await api.notifications.list();
		let waiting = stream.next();
		await api.notifications.markRead({ ids: [latest.id] });
		expect((await waiting).value).toEqual({ unread: 1, latest: null });
		waiting = stream.next();
		await api.notifications.markRead({});
		expect((await waiting).value).toEqual({ unread: 0, latest: null });

		controller.abort();
		await stream.return?.(undefined);
	});
});
