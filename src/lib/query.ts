/** A link to `path` with the given query parameters, leaving out empty ones. */
export function queryHref(path: string, params: Record<string, string | number | null | undefined>): string {
	const query = new URLSearchParams();
	for (const [key, value] of Object.entries(params)) {
		if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
	}
	const text = query.toString();
	return text ? `${path}?${text}` : path;
}

/** `value` when it is one of `values` (a select's options), else undefined: an edited link's value is left out. */
export const oneOf = <T extends string>(values: readonly T[], value: string | null | undefined): T | undefined =>
	values.includes(value as T) ? (value as T) : undefined;

/**
 * What a number input holds, for a procedure's input: NaN when it is empty (Svelte binds an
 * empty number input as null, and `Number(null)` is 0, which a slots or bandwidth field
 * accepts: an emptied field saved as 0). The schema refuses NaN with its field's sentence.
 */
export const typedNumber = (value: number | string | null | undefined): number =>
	value === null || value === undefined || String(value).trim() === '' ? Number.NaN : Number(value);
