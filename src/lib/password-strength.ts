// How guessable a password is, by zxcvbn-ts with its common-password dictionaries
// (https://zxcvbn-ts.github.io/zxcvbn/guide/getting-started/). The same rule runs on the
// server (registration, password change and reset refuse a weak password) and in the
// browser (the register page shows the strength as you type, loading this lazily).
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

zxcvbnOptions.setOptions({ dictionary, graphs: adjacencyGraphs });

/** zxcvbn's scale is 0-4; 3 is "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

export const STRENGTH_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

export type PasswordStrength = { score: 0 | 1 | 2 | 3 | 4; label: string; acceptable: boolean };

/** The strength of a password, given what an attacker knows of its owner (name, e-mail). */
export function passwordStrength(password: string, userInputs: string[] = []): PasswordStrength {
	// An attacker tries the whole name or address, its words, and its words run together.
	const inputs = userInputs
		.map((input) => input.toLowerCase())
		.flatMap((input) => [input, input.replace(/[^a-z0-9]+/g, ''), ...input.split(/[^a-z0-9]+/)])
		.filter(Boolean);
	const { score } = zxcvbn(password.slice(0, 200), inputs);
	return { score, label: STRENGTH_LABELS[score], acceptable: score >= MIN_PASSWORD_SCORE };
}
