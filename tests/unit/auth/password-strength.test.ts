import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_SCORE, passwordStrength } from '../../../src/lib/password-strength';

describe('password strength', () => {
	it('refuses common passwords and keyboard walks', () => {
		for (const password of ['password1234', 'qwertyuiop', '12345678', 'iloveyou1', 'letmein!!']) {
			expect(passwordStrength(password).acceptable, password).toBe(false);
		}
	});

	it("refuses the owner's name and address, also run together or with a year", () => {
		const owner = ['Agus Salim', 'agus.salim@example.com'];
		for (const password of ['agussalim123', 'agus.salim@example.com', 'AgusSalim2026']) {
			expect(passwordStrength(password, owner).acceptable, password).toBe(false);
		}
	});

	it('accepts a few unrelated words', () => {
		const strength = passwordStrength('teguh likes rambutan', ['Teguh Wibowo', 'teguh@example.com']);
		expect(strength.score).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
		expect(strength).toMatchObject({ acceptable: true });
	});
});
