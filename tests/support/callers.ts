// tRPC callers as HTTP clients look to the server: from a given address, with a browser's
// cookie jar (so a login's session and device cookies are sent again).
import type { Runtime } from '../../src/lib/server/runtime';
import { createCaller } from '../../src/lib/server/router';
import { SESSION_COOKIE, validateSessionToken } from '../../src/lib/server/auth/sessions';
import { CookieJar } from './http';

export type Browser = { jar: CookieJar; address: string };

export function browser(address: string): Browser {
	return { jar: new CookieJar(), address };
}

/** A caller for this browser: anonymous, or signed in when its jar holds a valid session. */
export async function callerIn(runtime: Runtime, client: Browser) {
	const token = client.jar.values.get(SESSION_COOKIE);
	const validated = token ? await validateSessionToken(runtime.db, token, { days: runtime.config.sessionDays }) : null;
	return createCaller({
		runtime,
		user: validated?.user ?? null,
		session: validated?.session ?? null,
		cookies: client.jar.cookies(),
		ipAddress: client.address,
		userAgent: 'Mozilla/5.0 (test)'
	});
}
