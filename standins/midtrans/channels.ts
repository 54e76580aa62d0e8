// The Snap payment channels the simulator offers, by their `enabled_payments` code.
export type Channel = {
	label: string;
	/** `payment_type` in status responses and notifications. */
	paymentType: string;
	/** Bank of a virtual account, when the channel is one. */
	bank?: string;
	kind: 'bank' | 'ewallet' | 'card' | 'qris';
};

export const CHANNELS: Record<string, Channel> = {
	bca_va: { label: 'BCA Virtual Account', paymentType: 'bank_transfer', bank: 'bca', kind: 'bank' },
	bni_va: { label: 'BNI Virtual Account', paymentType: 'bank_transfer', bank: 'bni', kind: 'bank' },
	bri_va: { label: 'BRI Virtual Account', paymentType: 'bank_transfer', bank: 'bri', kind: 'bank' },
	echannel: { label: 'Mandiri Bill Payment', paymentType: 'echannel', bank: 'mandiri', kind: 'bank' },
	permata_va: { label: 'Permata Virtual Account', paymentType: 'bank_transfer', bank: 'permata', kind: 'bank' },
	gopay: { label: 'GoPay', paymentType: 'gopay', kind: 'ewallet' },
	shopeepay: { label: 'ShopeePay', paymentType: 'shopeepay', kind: 'ewallet' },
	credit_card: { label: 'Credit or debit card', paymentType: 'credit_card', kind: 'card' },
	other_qris: { label: 'QRIS', paymentType: 'qris', kind: 'qris' }
};

export const CHANNEL_CODES = Object.keys(CHANNELS);
