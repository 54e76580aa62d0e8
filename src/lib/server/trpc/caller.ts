import type { RequestEvent } from '@sveltejs/kit';
import { createContext } from './init';
import { createCaller } from './router';

/** tRPC caller for `load` functions and form actions, acting as the request's user. */
export function serverCaller(event: RequestEvent) {
	return createCaller(createContext(event));
}
