// Money, dates and status labels as customers read them.
const rupiahFormat = new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 });

/** `Rp 150.000` (a plain space, so it reads and searches the same everywhere). */
export function formatRupiah(amount: number): string {
	return rupiahFormat.format(amount).replace(/\s/g, ' ');
}

/** `+Rp 50.000` / `-Rp 25.000` for ledger amounts. */
export function formatSignedRupiah(amount: number): string {
	return `${amount > 0 ? '+' : amount < 0 ? '-' : ''}${formatRupiah(Math.abs(amount))}`;
}

/** `1 slot`, `3 slots`: a count with its noun in the right number. */
export function formatCount(count: number, noun: string, pluralNoun = `${noun}s`): string {
	return `${count} ${count === 1 ? noun : pluralNoun}`;
}

export function formatCpu(milli: number): string {
	return milli >= 1000 ? `${(milli / 1000).toLocaleString('en-US', { maximumFractionDigits: 2 })} vCPU` : `${milli}m vCPU`;
}

export function formatMemory(mb: number): string {
	return mb >= 1024 ? `${(mb / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} GB RAM` : `${mb} MB RAM`;
}

// Times are shown in WIB, the same on the server and in the browser (no hydration drift).
const timeZone = 'Asia/Jakarta';
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	timeZone
});

export const formatDate = (date: Date | string) => dateFormat.format(new Date(date));

/** "1 Apr 2026 – 1 May 2026" */
export const formatPeriod = (start: Date | string, end: Date | string) => `${formatDate(start)} – ${formatDate(end)}`;
export const formatDateTime = (date: Date | string) => dateTimeFormat.format(new Date(date));

/** "Pending upgrade" from PENDING_UPGRADE. */
/** Labels that the status's words alone would spell badly. */
const STATUS_LABELS: Record<string, string> = { PENDING_DNS: 'Waiting for DNS' };

export function statusLabel(status: string): string {
	if (STATUS_LABELS[status]) return STATUS_LABELS[status];
	const words = status.toLowerCase().split('_');
	return [words[0].charAt(0).toUpperCase() + words[0].slice(1), ...words.slice(1)].join(' ');
}

export type Tone = 'green' | 'amber' | 'red' | 'slate' | 'blue';

export function statusTone(status: string): Tone {
	if (['ACTIVE', 'RUNNING', 'COMPLETED'].includes(status)) return 'green';
	if (['ERROR', 'FAILED', 'SUSPENDED', 'EXPIRED', 'CANCELLED', 'REJECTED', 'TERMINATED'].includes(status)) return 'red';
	if (['STOPPED', 'REFUNDED'].includes(status)) return 'slate';
	if (['PENDING', 'PENDING_PAYMENT', 'PENDING_UPGRADE', 'PAST_DUE', 'PENDING_DNS'].includes(status)) return 'amber';
	return 'blue';
}

const TRANSACTION_TYPES: Record<string, string> = {
	TOP_UP: 'Top-up',
	SUBSCRIPTION: 'Subscription',
	UPGRADE: 'Upgrade',
	REFUND: 'Refund',
	ADMIN_ADJUSTMENT: 'Adjustment'
};

export const transactionTypeLabel = (type: string) => TRANSACTION_TYPES[type] ?? statusLabel(type);

const PAYMENT_METHODS: Record<string, string> = {
	MIDTRANS_BANK_TRANSFER: 'Bank transfer (virtual account)',
	MIDTRANS_E_WALLET: 'E-wallet',
	MIDTRANS_CREDIT_CARD: 'Card',
	MIDTRANS_QRIS: 'QRIS',
	MANUAL_TRANSFER: 'Manual bank transfer',
	ADMIN_MANUAL: 'By MinisPod staff',
	CREDIT: 'Wallet credit'
};

export const paymentMethodLabel = (method: string | null | undefined) =>
	method ? (PAYMENT_METHODS[method] ?? statusLabel(method)) : '—';
