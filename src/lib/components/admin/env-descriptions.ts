// A template's variables' Indonesian descriptions as the service editor keeps them: one per
// row of its variables, so a description stays with its variable while it is renamed, and is
// saved by the name the row has then.

/** The descriptions of the rows, from the stored ones by variable name. */
export const rowDescriptions = (
	entries: readonly { name: string }[],
	byName: Partial<Record<string, string | null>> | undefined
): string[] => entries.map((entry) => byName?.[entry.name] ?? '');

/** The descriptions by the rows' current names (a row without a name yet has none); an empty one is null. */
export const descriptionsByName = (
	entries: readonly { name: string }[],
	descriptions: readonly string[]
): Record<string, string | null> =>
	Object.fromEntries(entries.flatMap((entry, index) => (entry.name ? [[entry.name, descriptions[index] || null]] : [])));
