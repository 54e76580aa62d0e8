// What an app's log stream says about itself (server/instances/logs.ts), as message keys the
// log viewer reads in the page's language; the stream's `message` says the same in English
// for other clients.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';

/**
 * Why the stream broke, as the customer reads it: an answer of the Kubernetes API without words
 * of its own is told by its HTTP status in MinisPod's keyed sentence; the cluster's or the
 * network's own words are shown as they came.
 */
export type LogCause = { key: 'http_status'; status: number } | { key: 'said'; words: string };

export type LogNote =
	| { key: 'cluster_silent' | 'waiting' }
	| { key: 'showing' | 'reconnected' | 'restarted'; pod: string }
	/** `detail`: the failure in English, as the server logs and the `message` keep it. */
	| { key: 'interrupted'; detail: string; cause: LogCause };

/** The note in a language (the page's when none is given). */
export function logNoteText(note: LogNote, locale?: Locale): string {
	const options = locale ? { locale } : undefined;
	switch (note.key) {
		case 'cluster_silent':
			return m.txt7_log_cluster_silent({}, options);
		case 'waiting':
			return m.txt7_log_waiting({}, options);
		case 'showing':
			return m.txt7_log_showing({ pod: note.pod }, options);
		case 'reconnected':
			return m.txt7_log_reconnected({ pod: note.pod }, options);
		case 'restarted':
			return m.txt7_log_restarted({ pod: note.pod }, options);
		case 'interrupted': {
			const { cause } = note;
			const detail = cause.key === 'http_status' ? m.txt6_cluster_http_status({ status: cause.status }, options) : cause.words;
			return m.txt7_log_interrupted({ detail }, options);
		}
	}
}
