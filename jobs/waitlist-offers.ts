import { lapseOffers } from '$lib/server/waitlist/service';
import { defineQueue } from '$lib/server/queue';

/** Every ten minutes: lapse unanswered waitlist offers and offer the slots to the next in line. */
export const waitlistOffers = defineQueue({
	name: 'waitlist-offers',
	options: { retryLimit: 3, retryBackoff: true, expireInSeconds: 300 },
	schedule: { cron: '*/10 * * * *' },
	handle: (runtime) => lapseOffers(runtime.db)
});
