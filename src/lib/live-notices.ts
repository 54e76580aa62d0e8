// The layout's live notification stream, shared with the page under it: the notifications page
// shows a notice the moment it arrives instead of at the next visit, and the wallet page reads
// itself again when the balance moved. A context, not a module's
// state, so nothing is shared between the server's requests.
import { getContext, setContext } from 'svelte';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$lib/server/router';

export type LiveNotice = inferRouterOutputs<AppRouter>['notifications']['list']['items'][number];
export type LiveNotices = {
	/** Unread notices of the account now, null before the stream's first word. */
	readonly unread: number | null;
	/** Notices that arrived while this page was open, newest first. */
	readonly arrived: readonly LiveNotice[];
	/**
	 * The balance the header shows: the stream's when it is newer than the page's read, with its
	 * version (null when the page's read is shown, or no one is signed in).
	 */
	readonly balance: { amount: number; version: number } | null;
};

const KEY = Symbol('live-notices');

export const shareLiveNotices = (notices: LiveNotices) => setContext(KEY, notices);
export const liveNotices = () => getContext<LiveNotices | undefined>(KEY);
