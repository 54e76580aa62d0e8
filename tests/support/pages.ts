// A page's server `load` run as a signed-in person's request in a given language would run it,
// so a test reads what the page is given (or sees what it throws, an error page) without a build.
import type { RequestEvent } from '@sveltejs/kit';
import type { User } from '../../src/lib/server/db/schema';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/sessions';
import { publicUser } from '../../src/lib/server/auth/service';
import { setRuntime, type Runtime } from '../../src/lib/server/runtime';
import type { Locale } from '../../src/lib/statuses';
import { CookieJar } from './http';
import { inLocale } from './locale';

export async function loadPage<T>(
	runtime: Runtime,
	user: User,
	path: string,
	load: (event: never) => Promise<T>,
	locale: Locale = 'id'
): Promise<T> {
	setRuntime(runtime);
	const session = await createSession(runtime.db, generateSessionToken(), user.id, { days: 30 });
	const url = new URL(path, runtime.config.origin);
	const event = {
		request: new Request(url),
		url,
		params: {},
		locals: { user: publicUser(user), session },
		cookies: new CookieJar().cookies(),
		getClientAddress: () => '127.0.0.1'
	} as unknown as RequestEvent;
	return inLocale(locale, () => load(event as never));
}
