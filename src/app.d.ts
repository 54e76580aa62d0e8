import type { Session } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			/** The signed-in user's credit as the session lookup read it (the header shows it). */
			balance: number | null;
			/** That balance's version (users.balanceVersion): the live stream's newer one replaces it. */
			balanceVersion: number | null;
			/** Sent as `x-request-id`, quoted in generic error messages, on every log line. */
			requestId?: string;
		}
		interface Error {
			message: string;
			code?: string;
			requestId?: string;
		}
	}
}

export {};
