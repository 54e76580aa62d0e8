// Reasons MinisPod states in a fixed sentence (no parameters), stored as a message key beside
// their English so each reader gets them in their own language, while rows written before keys
// (and logs) keep the English. Reasons with parameters have their own tables
// (instances/reasons.ts, domains/reasons.ts).
import type { Locale } from '$lib/statuses';

type Message = (inputs: Record<string, never>, options: { locale: Locale }) => string;

export type FixedReason<K extends string> = { key: K; params: Record<string, never> };

export function fixedReasons<K extends string>(messages: Record<K, Message>) {
	/** The reason's sentence in a language; null for a key this version does not know. */
	const render = (reason: FixedReason<K>, locale: Locale): string | null =>
		(messages as Partial<Record<string, Message>>)[reason.key]?.({}, { locale }) ?? null;
	return {
		reason: (key: K): FixedReason<K> => ({ key, params: {} }),
		render,
		/** The English the text columns keep. */
		english: (reason: FixedReason<K>): string => render(reason, 'en') ?? reason.key,
		/** What a reader sees: the keyed sentence in their language, else the stored text as it is. */
		readFor: (text: FixedReason<K> | null | undefined, stored: string | null | undefined, locale: Locale): string | null =>
			(text && render(text, locale)) ?? stored ?? null
	};
}
