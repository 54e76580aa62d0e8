// The seeded catalog's texts in Indonesian, by their English text (seed/translations.ts puts
// them in each entry's `translations.id`). Every English text of the seed has one here: a
// test holds the seed to that.
export const INDONESIAN: Record<string, string> = {};
