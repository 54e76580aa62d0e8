import type { LayoutServerLoad } from './$types';

// The login check runs in hooks.server.ts, before this and every page load.
export const load = (({ locals }) => ({ user: locals.user! })) satisfies LayoutServerLoad;
