// Pages that follow work under way (a set-up, an upgrade, a termination) by reading their data
// again every few seconds, without losing the click that leaves them.
import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';

/**
 * Reads the page's data again every `ms` until the returned function is called (an $effect's
 * cleanup), skipping a turn while a navigation is under way. SvelteKit lets an invalidation
 * that starts during a navigation win over it (client.js `_invalidate`: "the invalidation should
 * take over and win"), so a poll that fell while a link's page was loading dropped the click:
 * the browser stayed on the page it was leaving.
 */
export function pollPage(ms = 3_000): () => void {
	const timer = setInterval(() => {
		if (!navigating.to) void invalidateAll();
	}, ms);
	return () => clearInterval(timer);
}
