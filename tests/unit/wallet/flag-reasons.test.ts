// Why a top-up was flagged, as the admin panel reads it: in the administrator's language when
// keyed, the stored English for a flag raised before keys.
import { describe, expect, it } from 'vitest';
import { flagReason, flagReasonEnglish, flagReasonFor } from '../../../src/lib/server/wallet/flag-reasons';
import { GATEWAY_REVERSALS } from '../../../src/lib/statuses';

describe('a flagged top-up’s reason', () => {
	it('reads a refund or chargeback as a sentence of each language, and keeps an amount the gateway reported', () => {
		const refund = flagReason('reversed', { status: 'partial_refund' });
		expect(flagReasonFor(refund, 'stored', 'id')).toBe(
			'Gateway melaporkan bahwa sebagian dana top-up yang sudah dikreditkan ini dikembalikan (refund sebagian).'
		);
		expect(flagReasonEnglish(refund)).toBe('The gateway reports a partial refund of this credited top-up.');
		const sentences = (locale: 'id' | 'en') =>
			GATEWAY_REVERSALS.map((status) => flagReasonFor(flagReason('reversed', { status }), null, locale));
		for (const locale of ['id', 'en'] as const) {
			expect(new Set(sentences(locale)).size).toBe(GATEWAY_REVERSALS.length);
			for (const sentence of sentences(locale)) expect(sentence).not.toMatch(/_|\{/);
		}
		expect(sentences('id').join(' ')).not.toMatch(/melaporkan (partial )?(refund|chargeback)/);
		// A status word this version has no sentence for is quoted as the gateway sent it.
		expect(flagReasonFor(flagReason('reversed', { status: 'partial_reversal' }), null, 'en')).toBe(
			'The gateway reports a partial reversal of this credited top-up.'
		);
		const mismatch = flagReason('amount_mismatch', { reported: '99000.00', amount: 100_000 });
		expect(flagReasonFor(mismatch, null, 'id')).toBe('Gateway melaporkan nominal 99000.00 untuk top-up sebesar Rp 100.000.');
		expect(flagReasonFor(mismatch, null, 'en')).toBe('The gateway reported an amount of 99000.00 for a top-up of Rp 100.000.');
		expect(flagReasonFor(flagReason('paid_after_close', {}), null, 'id')).toContain('kreditkan secara manual');
	});

	it('shows a flag raised before keys with its stored English', () => {
		expect(flagReasonFor(undefined, 'The gateway reports a refund of this credited top-up.', 'id')).toBe(
			'The gateway reports a refund of this credited top-up.'
		);
		expect(flagReasonFor(undefined, null, 'en')).toBeNull();
	});
});
