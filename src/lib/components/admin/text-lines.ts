// Lists the catalog editor takes one a line (features, first-run steps), and how a list in
// Indonesian compares with the English one it replaces as a whole.

/** The lines of a text, trimmed, without the empty ones. */
export const textLines = (text: string | null | undefined): string[] =>
	(text ?? '')
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);

/**
 * The line counts of a filled-in Indonesian list and its English one when they differ (an
 * Indonesian reader then sees other steps than an English one), else null.
 */
export function lineCountsDiffer(english: string | null | undefined, indonesian: string) {
	const counts = { english: textLines(english).length, indonesian: textLines(indonesian).length };
	return counts.indonesian > 0 && counts.indonesian !== counts.english ? counts : null;
}
