// The catalog as customers browse it (its categories and the cards of every listed service
// with their slots), held in each web process: the catalog page and `catalog.services` are
// the most read things MinisPod serves, and they change only when an administrator edits the
// catalog or a plan's slots move. Every such change publishes a `catalog` event in its own
// transaction (the editor, and the guarded slot updates in subscriptions/quota.ts), delivered
// to every process when that commits; the event, or a resync after the event listener
// reconnected (events sent meanwhile are lost), drops the cached copy and the next read loads
// it again. Each language has its listing, the views of the same rows.
import type { Runtime } from '../runtime';
import type { Locale } from '$lib/statuses';
import { sentenceLocale } from '../sentences';
import { onPublished, type EventHub } from '../events';
import { listCategories, listServices, type ServiceFilter } from './service';
import type { CategoryView, ServiceSummary } from './views';

type Listing = { categories: CategoryView[]; services: ServiceSummary[] };

export type CatalogCache = {
	/** The visible categories and every listed service in a language, from the cache or loaded into it. */
	listing(locale: Locale): Promise<Listing>;
	/** How many times the listing was loaded from the database (for tests). */
	loads(): number;
};

const caches = new WeakMap<EventHub, CatalogCache>();

/** The runtime's catalog cache: one per event hub, so per process. */
export function catalogCache(runtime: Pick<Runtime, 'db' | 'events'>): CatalogCache {
	let cache = caches.get(runtime.events);
	if (!cache) caches.set(runtime.events, (cache = createCatalogCache(runtime)));
	return cache;
}

function createCatalogCache({ db, events }: Pick<Runtime, 'db' | 'events'>): CatalogCache {
	// One listing per language, each loaded when first read.
	const current = new Map<Locale, Promise<Listing>>();
	let loads = 0;
	// A resync means catalog events may have been missed.
	events.listen((event) => {
		if (event.type === 'catalog' || event.type === 'resync') current.clear();
	});
	onPublished((event) => {
		if (event.type === 'catalog') current.clear();
	});

	function load(locale: Locale) {
		loads += 1;
		const loading = Promise.all([listCategories(db, locale), listServices(db, {}, locale)]).then(([categories, services]) => ({
			categories,
			services
		}));
		current.set(locale, loading);
		// A failed load is not kept: the next read tries again. A load that an event made stale
		// while it ran was dropped by the event (the map no longer holds this load).
		loading.catch(() => {
			if (current.get(locale) === loading) current.delete(locale);
		});
		return loading;
	}

	return {
		listing: (locale) => current.get(locale) ?? load(locale),
		loads: () => loads
	};
}

/** The visible categories in the request's language, from the cache. */
export async function cachedCategories(runtime: Pick<Runtime, 'db' | 'events'>): Promise<CategoryView[]> {
	return (await catalogCache(runtime).listing(sentenceLocale())).categories;
}

/**
 * The listed services as listServices gives them: filtered by category or featured from the
 * cache (the same rows in the same order); a search goes to the database.
 */
export async function cachedServices(
	runtime: Pick<Runtime, 'db' | 'events'>,
	filter: ServiceFilter = {}
): Promise<ServiceSummary[]> {
	const locale = sentenceLocale();
	if ((filter.q ?? '').trim()) return listServices(runtime.db, filter, locale);
	const { services } = await catalogCache(runtime).listing(locale);
	return services.filter(
		(service) =>
			(!filter.categorySlug || service.category.slug === filter.categorySlug) &&
			(filter.featured === undefined || service.isFeatured === filter.featured)
	);
}
