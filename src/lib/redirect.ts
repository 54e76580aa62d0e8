/** Only same-site paths are followed after login; anything else goes to the catalog. */
export function safeRedirectTarget(target: string | null | undefined, fallback = '/catalog'): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
	return target;
}
