import type { ParamMatcher } from '@sveltejs/kit';

// Ids in URLs are UUIDs; anything else is no route at all (404) before a load runs.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const match = ((param: string): param is string => UUID.test(param)) satisfies ParamMatcher;
