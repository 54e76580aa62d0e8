/** A link to `path` with the given query parameters, leaving out empty ones. */
export function queryHref(path: string, params: Record<string, string | number | null | undefined>): string {
	const query = new URLSearchParams();
	for (const [key, value] of Object.entries(params)) {
		if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
	}
	const text = query.toString();
	return text ? `${path}?${text}` : path;
}
