import { describe, expect, it } from 'vitest';
import { semaphore } from '../../src/lib/server/util/semaphore';

describe('a semaphore', () => {
	it('runs at most its size at once, the rest in order of arrival', async () => {
		const lock = semaphore(2);
		let running = 0;
		let most = 0;
		const order: number[] = [];
		const releases: (() => void)[] = [];
		const tasks = Array.from({ length: 6 }, (_, index) =>
			lock.run(async () => {
				running += 1;
				most = Math.max(most, running);
				order.push(index);
				await new Promise<void>((resolve) => releases.push(resolve));
				running -= 1;
			})
		);
		// Let the first two start; then release one at a time as each new one starts.
		while (order.length < 6) {
			await new Promise((resolve) => setImmediate(resolve));
			releases.shift()?.();
		}
		releases.forEach((release) => release());
		await Promise.all(tasks);
		expect(most).toBe(2);
		expect(order).toEqual([0, 1, 2, 3, 4, 5]);
		expect(lock.load()).toEqual({ active: 0, waiting: 0 });
	});

	it('refuses a newcomer at once when the line is full', async () => {
		const lock = semaphore(1, { maxWaiting: 1, onFull: () => new Error('busy') });
		let release!: () => void;
		const first = lock.run(() => new Promise<void>((resolve) => (release = resolve)));
		const second = lock.run(async () => 'second');
		await expect(lock.run(async () => 'third')).rejects.toThrow('busy');
		release();
		await first;
		await expect(second).resolves.toBe('second');
	});

	it('frees the slot when a task fails', async () => {
		const lock = semaphore(1);
		await expect(lock.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(lock.run(async () => 'next')).resolves.toBe('next');
	});
});
