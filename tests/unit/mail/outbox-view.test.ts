import { describe, expect, it } from 'vitest';
import { maskTokens } from '../../../src/lib/server/mail/views';

describe("the admin outbox's view of a mail", () => {
	it("hides account links' tokens in text and HTML, and nothing else", () => {
		const text =
			'Reset: https://minispod.test/reset-password?token=abc123_XYZ-9\n\nOther: https://minispod.test/wallet?amount=5000';
		expect(maskTokens(text)).toBe(
			'Reset: https://minispod.test/reset-password?token=[hidden]\n\nOther: https://minispod.test/wallet?amount=5000'
		);
		expect(maskTokens('<a href="https://m.test/verify-email?next=1&amp;token=s3cr3t">Verify</a>')).toBe(
			'<a href="https://m.test/verify-email?next=1&amp;token=[hidden]">Verify</a>'
		);
	});
});
