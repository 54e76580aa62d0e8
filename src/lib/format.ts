// Money, dates and status labels as customers read them.
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { EnvironmentKind, GatewayReversal, Locale } from '$lib/statuses';

const rupiahFormat = new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 });

/** `Rp 150.000` (a plain space, so it reads and searches the same everywhere). */
export function formatRupiah(amount: number): string {
	return rupiahFormat.format(amount).replace(/\s/g, ' ');
}

/**
 * An amount a gateway claims, as its own string ("75000.00"): in rupiah when it is a whole
 * amount, else as written, so a fraction that made it a mismatch stays visible.
 */
export function formatClaimedAmount(claimed: string): string {
	return /^\d+(\.0+)?$/.test(claimed) ? formatRupiah(Number(claimed)) : claimed;
}

/** `+Rp 50.000` / `-Rp 25.000` for ledger amounts. */
export function formatSignedRupiah(amount: number): string {
	return `${amount > 0 ? '+' : amount < 0 ? '-' : ''}${formatRupiah(Math.abs(amount))}`;
}

/** `1 slot`, `3 slots`: a count with its noun in the right number. */
export function formatCount(count: number, noun: string, pluralNoun = `${noun}s`): string {
	return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** A number in the language's digits: "1,5" (id, a decimal comma) / "1.5" (en). */
export function formatNumber(value: number, locale: Locale = getLocale(), maximumFractionDigits = 1): string {
	return value.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US', { maximumFractionDigits });
}

/** "1,5 GB" (id) / "1.5 GB" (en): a byte count in the page's language. */
export function formatSize(bytes: number, locale: Locale = getLocale()): string {
	const gib = bytes / 2 ** 30;
	return gib >= 1 ? `${formatNumber(gib, locale)} GB` : `${Math.round(bytes / 2 ** 20)} MB`;
}

/**
 * "1,5 vCPU" / "0,25 vCPU" (id), "1.5 vCPU" / "0.25 vCPU" (en): a share of a core as a
 * customer reads it, not Kubernetes' millicores ("250m").
 */
export function formatCpu(milli: number, locale: Locale = getLocale()): string {
	return `${formatNumber(milli / 1000, locale, 3)} vCPU`;
}

/** "1,5 GB RAM" (id) / "1.5 GB RAM" (en); below a gigabyte in megabytes. */
export function formatMemory(mb: number, locale: Locale = getLocale()): string {
	return mb >= 1024 ? `${formatNumber(mb / 1024, locale)} GB RAM` : `${mb} MB RAM`;
}

// Times are shown in WIB (UTC+7, no daylight saving), the same on the server and in the
// browser (no hydration drift), in one format for both languages: "25 Nov 2026 14.05 WIB"
// (Indonesian writes the time with a dot) and "25 Nov 2026 14:05 WIB". Month names are
// spelt here rather than by Intl, whose short names differ between ICU versions ("Sept").
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
const MONTHS: Record<Locale, readonly string[]> = {
	id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
	en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
};
const TIME_SEPARATOR: Record<Locale, string> = { id: '.', en: ':' };

const inWib = (date: Date | string) => new Date(new Date(date).getTime() + WIB_OFFSET_MS);

/** "25 Nov 2026" / "25 Agu 2026": the day in WIB. */
export function formatDate(date: Date | string, locale: Locale = getLocale()): string {
	const wib = inWib(date);
	return `${wib.getUTCDate()} ${MONTHS[locale][wib.getUTCMonth()]} ${wib.getUTCFullYear()}`;
}

/**
 * Whether a ledger row began at least a minute before it took effect (a top-up paid or a proof
 * approved later), so its date says when it began too. A row completed at once has its two
 * times from two clocks (the app's and the database's), a millisecond apart either way.
 */
export const begunEarlier = (row: { createdAt: Date | string; completedAt: Date | string | null }) =>
	row.completedAt !== null && new Date(row.completedAt).getTime() - new Date(row.createdAt).getTime() >= 60_000;

/** "14.05" (id) / "14:05" (en): the time of day in WIB, 24-hour. */
export function formatTime(date: Date | string, locale: Locale = getLocale(), seconds = false): string {
	const wib = inWib(date);
	const pad = (value: number) => String(value).padStart(2, '0');
	const separator = TIME_SEPARATOR[locale];
	const minutes = `${pad(wib.getUTCHours())}${separator}${pad(wib.getUTCMinutes())}`;
	return seconds ? `${minutes}${separator}${pad(wib.getUTCSeconds())}` : minutes;
}

/**
 * Below this span a time axis shows seconds: a chart's ticks over a few minutes fall seconds
 * apart (every 15 or 30 s), and "03.23" twelve times tells them apart from nothing.
 */
export const AXIS_SECONDS_SPAN_MS = 20 * 60_000;

/** A time axis's tick labels for data spanning `spanMs`: "16.37.30" when it is short, else "16.37". */
export const axisTimeFormat =
	(spanMs: number, locale: Locale = getLocale()) =>
	(date: Date | string) =>
		formatTime(date, locale, spanMs < AXIS_SECONDS_SPAN_MS);

/** "25 Nov 2026 14.05 WIB" (id) / "25 Nov 2026 14:05 WIB" (en). */
export function formatDateTime(date: Date | string, locale: Locale = getLocale()): string {
	return `${formatDate(date, locale)} ${formatTime(date, locale)} WIB`;
}

/** "1 Apr 2026 – 1 May 2026" */
export const formatPeriod = (start: Date | string, end: Date | string, locale: Locale = getLocale()) =>
	`${formatDate(start, locale)} – ${formatDate(end, locale)}`;

type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;
const messages = m as unknown as Record<string, Message | undefined>;

/**
 * The label of a code in the current language: the message `<prefix>_<code in lower case>`
 * (tests/unit/messages.test.ts checks every listed code has one), else the code in words.
 */
function codeLabel(prefix: string, code: string, locale?: Locale): string {
	const message = messages[`${prefix}_${code.toLowerCase()}`];
	if (message) return message({}, { locale });
	const words = code.toLowerCase().split('_');
	return [words[0].charAt(0).toUpperCase() + words[0].slice(1), ...words.slice(1)].join(' ');
}

/** "Menunggu peningkatan" / "Pending upgrade" from PENDING_UPGRADE. */
export const statusLabel = (status: string, locale?: Locale) => codeLabel('status', status, locale);

export type Tone = 'green' | 'amber' | 'red' | 'slate' | 'blue';

export function statusTone(status: string): Tone {
	if (['ACTIVE', 'RUNNING', 'COMPLETED'].includes(status)) return 'green';
	if (['ERROR', 'FAILED', 'SUSPENDED', 'EXPIRED', 'CANCELLED', 'REJECTED', 'TERMINATED'].includes(status)) return 'red';
	if (['STOPPED', 'REFUNDED'].includes(status)) return 'slate';
	if (['PENDING', 'PENDING_PAYMENT', 'PENDING_UPGRADE', 'PAST_DUE', 'PENDING_DNS'].includes(status)) return 'amber';
	return 'blue';
}

export const transactionTypeLabel = (type: string, locale?: Locale) => codeLabel('transaction_type', type, locale);

/** "Dasar" / "Basic" from BASIC (PLAN_TYPES): a plan's tier. */
export const planTypeLabel = (type: string, locale?: Locale) => codeLabel('plan_type', type, locale);

/** "Harian" / "Daily" from DAILY (BACKUP_SCHEDULES). */
export const backupScheduleLabel = (schedule: string, locale?: Locale) => codeLabel('backup_schedule', schedule, locale);

/** "sehat" / "healthy" from the health check's word for an app (HEALTH_STATUSES). */
export const healthLabel = (health: string, locale?: Locale) => codeLabel('health', health, locale);

const ENVIRONMENT_KIND_LABELS: Record<EnvironmentKind, Message> = {
	'generated secret': m.admin_editor_source_secret,
	'set by MinisPod': m.admin_editor_source_minispod,
	preset: m.admin_editor_source_preset
};

/** Where a setting of an app's plan gets its value, as the service page names it. */
export const environmentKindLabel = (kind: EnvironmentKind, locale?: Locale) => ENVIRONMENT_KIND_LABELS[kind]({}, { locale });

const REVERSAL_LABELS: Record<GatewayReversal, (inputs: { amount: string }, options: { locale?: Locale }) => string> = {
	refund: m.txt13_reversal_refund,
	partial_refund: m.txt13_reversal_partial_refund,
	chargeback: m.txt13_reversal_chargeback,
	partial_chargeback: m.txt13_reversal_partial_chargeback
};

/** "Dikembalikan sebagian: Rp 75.000" / "Partly refunded: Rp 75.000": what a gateway took back of a top-up. */
export const reversalLabel = (reversal: { kind: GatewayReversal; amount: number | null }, locale?: Locale) =>
	REVERSAL_LABELS[reversal.kind](
		{ amount: reversal.amount === null ? m.txt13_reversal_amount_unknown({}, { locale }) : formatRupiah(reversal.amount) },
		{ locale }
	);

export const paymentMethodLabel = (method: string | null | undefined, locale?: Locale) =>
	method ? codeLabel('payment_method', method, locale) : '—';
