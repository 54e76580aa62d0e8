// Label and field selectors as the API server parses them, e.g.
// `app.kubernetes.io/instance=blog,tier in (web,api),!legacy` and `status.phase=Running`.

export type LabelRequirement =
	{ key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | 'notexists' };

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
	const terms: string[] = [];
	let depth = 0;
	let current = '';
	for (const char of selector) {
		if (char === '(') depth += 1;
		if (char === ')') depth -= 1;
		if (char === ',' && depth === 0) {
			terms.push(current);
			current = '';
		} else current += char;
	}
	terms.push(current);
	return terms.map((term) => term.trim()).filter(Boolean);
}

export function parseLabelSelector(selector: string | undefined | null): LabelRequirement[] {
	if (!selector) return [];
	return splitTerms(selector).map((term): LabelRequirement => {
		const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
		if (set) {
			const values = set[3]
				.split(',')
				.map((value) => value.trim())
				.filter(Boolean);
			return { key: set[1], op: set[2] as 'in' | 'notin', values };
		}
		const notEqual = /^([^=!\s]+)\s*!=\s*(\S*)$/.exec(term);
		if (notEqual) return { key: notEqual[1], op: 'notin', values: [notEqual[2]] };
		const equal = /^([^=!\s]+)\s*==?\s*(\S*)$/.exec(term);
		if (equal) return { key: equal[1], op: 'in', values: [equal[2]] };
		const absent = /^!\s*([^=!\s]+)$/.exec(term);
		if (absent) return { key: absent[1], op: 'notexists' };
		if (/^[^=!\s(),]+$/.test(term)) return { key: term, op: 'exists' };
		throw new SelectorError(`unable to parse requirement: ${JSON.stringify(term)}`);
	});
}

export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
	const actual = labels ?? {};
	return requirements.every((requirement) => {
		const present = Object.hasOwn(actual, requirement.key);
		switch (requirement.op) {
			case 'exists':
				return present;
			case 'notexists':
				return !present;
			case 'in':
				return present && requirement.values.includes(actual[requirement.key]);
			case 'notin':
				return !present || !requirement.values.includes(actual[requirement.key]);
		}
	});
}

/** `a=b,c=d` from a matchLabels map (what a Scale's status.selector shows). */
export function formatLabelSelector(matchLabels: Record<string, string> | undefined): string {
	return Object.entries(matchLabels ?? {})
		.map(([key, value]) => `${key}=${value}`)
		.join(',');
}

export type FieldRequirement = { path: string[]; equals: boolean; value: string };

export function parseFieldSelector(selector: string | undefined | null): FieldRequirement[] {
	if (!selector) return [];
	return splitTerms(selector).map((term) => {
		const match = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
		if (!match) throw new SelectorError(`invalid field selector: ${JSON.stringify(term)}`);
		return { path: match[1].split('.'), equals: match[2] !== '!=', value: match[3] };
	});
}

export function matchesFields(requirements: FieldRequirement[], object: unknown): boolean {
	return requirements.every((requirement) => {
		let value: unknown = object;
		for (const key of requirement.path) value = (value as Record<string, unknown> | undefined)?.[key];
		const actual = value === undefined || value === null ? '' : String(value);
		return (actual === requirement.value) === requirement.equals;
	});
}
