/**
 * Runs at most `size` tasks at once; later ones wait in line, and when `maxWaiting` are
 * already waiting a new one is refused at once with `onFull()` rather than queued without end.
 */
export function semaphore(size: number, options: { maxWaiting?: number; onFull?: () => Error } = {}) {
	let active = 0;
	const waiting: (() => void)[] = [];
	const release = () => {
		const next = waiting.shift();
		// The slot passes straight to the next in line, so a newcomer cannot take it meanwhile.
		if (next) next();
		else active -= 1;
	};
	return {
		async run<T>(task: () => Promise<T>): Promise<T> {
			if (active < size) active += 1;
			else {
				if (options.maxWaiting !== undefined && waiting.length >= options.maxWaiting) {
					throw options.onFull?.() ?? new Error('Too many tasks waiting');
				}
				await new Promise<void>((resolve) => waiting.push(resolve));
			}
			try {
				return await task();
			} finally {
				release();
			}
		},
		/** Tasks running and waiting now (for tests and metrics). */
		load: () => ({ active, waiting: waiting.length })
	};
}
