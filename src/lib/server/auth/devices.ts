// Devices an account has logged in from: a random token in a long-lived httpOnly cookie, of
// which the database keeps the SHA-256 per account. Only the right password from such a
// device lifts a login lock (throttle.ts).
import type { Cookies } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { knownDevices } from '../db/schema';
import { generateSessionToken, sessionIdFromToken } from './sessions';

export const DEVICE_COOKIE = 'minispod_device';
const DEVICE_DAYS = 400;

export async function isKnownDevice(db: DbOrTx, userId: string | undefined, token: string | undefined): Promise<boolean> {
	if (!userId || !token || token.length > 100) return false;
	const [row] = await db
		.select({ userId: knownDevices.userId })
		.from(knownDevices)
		.where(and(eq(knownDevices.tokenHash, sessionIdFromToken(token)), eq(knownDevices.userId, userId)));
	return Boolean(row);
}

/** Remembers this browser for the account; returns the cookie's token (a new one if it had none). */
export async function rememberDevice(db: DbOrTx, userId: string, token: string | undefined): Promise<string> {
	const deviceToken = token && token.length <= 100 ? token : generateSessionToken();
	await db
		.insert(knownDevices)
		.values({ tokenHash: sessionIdFromToken(deviceToken), userId })
		.onConflictDoUpdate({ target: [knownDevices.tokenHash, knownDevices.userId], set: { lastSeenAt: new Date() } });
	return deviceToken;
}

export function setDeviceCookie(cookies: Pick<Cookies, 'set'>, token: string, secure: boolean) {
	cookies.set(DEVICE_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: DEVICE_DAYS * 86_400,
		path: '/'
	});
}
