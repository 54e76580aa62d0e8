// The audit log as administrators read it: each action by its label and the details an
// action recorded as a list of labelled, formatted values (money in rupiah, instants in WIB).
// Plain functions, safe for the browser.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';
import { getLocale } from '$lib/paraglide/runtime';
import { backupScheduleLabel, formatDateTime, formatNumber, formatRupiah, planTypeLabel } from './format';

type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;
const messages = m as unknown as Record<string, Message | undefined>;

/** "Hello world" from helloWorld or hello_world: a code without a label, in words. */
const inWords = (code: string) => {
	const words = code
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[\s._]+/);
	return [words[0].charAt(0).toUpperCase() + words[0].slice(1), ...words.slice(1)].join(' ');
};

/** The message `<prefix>_<name in snake case>` in the language, if there is one. */
const labelled = (prefix: string, name: string, locale?: Locale) =>
	messages[`${prefix}_${name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`).replace(/\./g, '_')}`]?.({}, { locale });

/** "Extended a subscription" from subscription.extend (AUDIT_ACTIONS; an older code in words). */
export const auditActionLabel = (action: string, locale?: Locale) =>
	labelled('txt9a_audit_action', action, locale) ?? inWords(action);

/** "Langganan" / "Subscription" from subscription: the kind of entity an entry is about, or in words. */
export const auditEntityLabel = (entityType: string, locale?: Locale) =>
	labelled('txt9c_audit_entity', entityType, locale) ?? inWords(entityType);

/**
 * A field of an action's details (or of a catalog entry, a template's too) by its label. A
 * field without one (recorded by an older version) is named by its code, in words in English
 * and as "Kolom <code>" in Indonesian, never as English words in an Indonesian page.
 */
export const auditFieldLabel = (field: string, locale?: Locale) =>
	labelled('txt9a_audit_field', field, locale) ??
	labelled('txt10d_audit_field', field, locale) ??
	labelled('txt19a_audit_field', field, locale) ??
	((locale ?? getLocale()) === 'en' ? inWords(field) : m.txt19a_audit_field_unnamed({ field }, { locale }));

/** The languages of a catalog entry's `translations`, by their code. */
const LANGUAGES: Record<string, Message> = { id: m.txt10b_audit_language_id };

/** Fields whose numbers are rupiah. */
const MONEY_FIELDS = new Set(['amount', 'monthlyPrice', 'pendingMonthlyPrice', 'price', 'refunded', 'lastChargeAmount']);
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** One value of a field, as people read it. */
export function formatAuditValue(field: string, value: unknown, locale?: Locale): string {
	if (value === null || value === undefined || value === '') return '—';
	if (typeof value === 'boolean') return (value ? m.txt9a_audit_yes : m.txt9a_audit_no)({}, { locale });
	if (typeof value === 'number') return MONEY_FIELDS.has(field) ? formatRupiah(value) : formatNumber(value, locale, 2);
	if (typeof value === 'string') {
		if (INSTANT.test(value)) return formatDateTime(value, locale);
		if (field === 'planType') return planTypeLabel(value, locale);
		if (field === 'backupSchedule') return backupScheduleLabel(value, locale);
		return value;
	}
	// The fields a change touched, by their labels (a template's `changed`), not their keys.
	if (Array.isArray(value) && field === 'changed') {
		return value.map((name) => (typeof name === 'string' ? auditFieldLabel(name, locale) : String(name))).join(', ');
	}
	if (Array.isArray(value)) return value.map((item) => formatAuditValue(field, item, locale)).join(', ');
	if (isRecord(value)) {
		// A change: what it was and what it became.
		const keys = Object.keys(value);
		if (keys.length === 0) return '—';
		if (keys.length === 2 && 'from' in value && 'to' in value) {
			return `${formatAuditValue(field, value.from, locale)} → ${formatAuditValue(field, value.to, locale)}`;
		}
		// A catalog entry's texts by language, and an app's variable descriptions by variable name.
		if (field === 'translations' || field === 'environment') {
			return Object.entries(value)
				.map(([key, texts]) => {
					const name = field === 'translations' ? (LANGUAGES[key]?.({}, { locale }) ?? key) : key;
					return `${name}: ${formatAuditValue(key, texts, locale)}`;
				})
				.join('; ');
		}
		return auditDetailList(value, locale)
			.map((detail) => `${detail.label}: ${detail.value}`)
			.join('; ');
	}
	return String(value);
}

export type AuditDetail = { field: string; label: string; value: string };

/**
 * An audit entry's details (as the view sends them: reasons kept as keys already read, in
 * admin/panel-views.ts) as a list of labelled values, in the order they were recorded.
 */
export function auditDetailList(details: Record<string, unknown>, locale?: Locale): AuditDetail[] {
	return Object.entries(details).map(([field, value]) => ({
		field,
		label: auditFieldLabel(field, locale),
		value: formatAuditValue(field, value, locale)
	}));
}
