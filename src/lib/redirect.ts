const SITE = 'http://minispod.invalid';

/** Where a signed-in person starts: administrators on the admin panel, customers on the catalog. */
export const homeFor = (user: { role: string }) => (user.role === 'ADMINISTRATOR' ? '/admin' : '/catalog');

/**
 * Only paths on this site are followed after login; anything else goes to the catalog.
 * Browsers drop tabs and line breaks from URLs and read backslashes as slashes, so
 * `/\t/evil.example` opens http://evil.example/: only visible ASCII is accepted (paths
 * arrive percent-encoded), and the path must stay on this site once parsed as a browser does.
 */
export function safeRedirectTarget(target: string | null | undefined, fallback = '/catalog'): string {
	if (!target || !target.startsWith('/') || /[^\x21-\x7e]/.test(target)) return fallback;
	if (target.startsWith('//') || target.startsWith('/\\')) return fallback;
	let url: URL;
	try {
		url = new URL(target, SITE);
	} catch {
		return fallback;
	}
	return url.origin === SITE ? `${url.pathname}${url.search}${url.hash}` : fallback;
}
