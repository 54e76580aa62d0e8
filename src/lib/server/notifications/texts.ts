// What a notification says, stored as a message key and its parameters so each reader gets
// it in their own language: the bell and the list in the viewer's, the mail in the
// recipient's (users.locale). The messages are `notif_<key>_title` and `notif_<key>_body` in
// messages/*.json. Amounts and dates are kept as values and formatted for the reader. The
// title and body columns keep the English as well, for rows written before texts existed
// (shown as they are) and for anyone reading the table.
import { formatDate, formatPeriod, formatRupiah } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';
import { renderInstanceReason, type InstanceReason } from '../instances/reasons';
import { renderDomainReason, type DomainReason } from '../domains/reasons';
import { topUpReasons, type TopUpReason } from '../wallet/topup-reasons';
import { endReasons, type EndReason } from '../subscriptions/end-reasons';

type Rupiah = { rupiah: number };
type Day = { date: string };
type Period = { period: [string, string] };
/** Why something failed, as the app's or domain's status reason says it (with its English for older versions). */
type Why = {
	why: { instance: InstanceReason } | { domain: DomainReason } | { topUp: TopUpReason } | { end: EndReason };
	english: string;
};
export type TextParam = string | number | Rupiah | Day | Period | Why;

export const asRupiah = (amount: number): Rupiah => ({ rupiah: amount });
export const asDate = (date: Date): Day => ({ date: date.toISOString() });
export const asPeriod = (start: Date, end: Date): Period => ({ period: [start.toISOString(), end.toISOString()] });
/** A failure's reason, read in each reader's language. */
export const asInstanceReason = (reason: InstanceReason, english: string): Why => ({ why: { instance: reason }, english });
export const asDomainReason = (reason: DomainReason, english: string): Why => ({ why: { domain: reason }, english });
export const asTopUpReason = (reason: TopUpReason, english: string): Why => ({ why: { topUp: reason }, english });
export const asEndReason = (reason: EndReason, english: string): Why => ({ why: { end: reason }, english });

type Name = { name: string };
type Service = { service: string; plan: string };

/** Every text, with the parameters its messages take. */
type Texts = {
	wallet_credited: { amount: Rupiah; reason: string };
	wallet_debited: { amount: Rupiah; reason: string };
	proof_approved: { amount: Rupiah };
	proof_rejected: { amount: Rupiah; reason: string };
	top_up_completed: { amount: Rupiah };
	top_up_failed: { amount: Rupiah; reason: string | Why };
	waitlist_slot: Service & { hours: number };
	instance_action_failed: Name & { action: string; reason: string | Why };
	instance_missing: Name;
	domain_active: Name & { hostname: string };
	domain_failed: { hostname: string; reason: string | Why };
	instance_running: Name & { service: string; url: string };
	instance_failed: Name & Service & { reason: string | Why };
	instance_failed_refunded: Name & Service & { reason: string | Why; amount: Rupiah };
	resumed: Name & { end: Day };
	resumed_charged: Name & { amount: Rupiah; end: Day };
	extended: { days: number; end: Day };
	suspended_by_staff: { reason: string };
	price_changed: { plan: string; price: Rupiah; previous: Rupiah; date: Day };
	price_changed_next: { plan: string; price: Rupiah; previous: Rupiah };
	price_withdrawn: { plan: string; price: Rupiah };
	suspended_unpaid: Name & { amount: Rupiah; deletion: Day };
	grace_reminder: Name & { days: number; amount: Rupiah; shortfall: Rupiah; date: Day };
	grace_reminder_one: Name & { days: number; amount: Rupiah; shortfall: Rupiah; date: Day };
	grace_extended: { date: Day; reason: string };
	renewal_waived: { amount: Rupiah; period: Period; reason: string };
	renewed: Name & { amount: Rupiah; period: Period; balance: Rupiah };
	renewed_free: Name & { plan: string; period: Period };
	renewal_failed: Name & { amount: Rupiah; balance: Rupiah; shortfall: Rupiah; date: Day };
	started_granted: Service & { date: Day };
	/** A grant of a paid plan: what its renewal will charge once the grant ends. */
	started_granted_then_paid: Service & { date: Day; amount: Rupiah };
	started_paid: Service & { amount: Rupiah };
	started_free: Service;
	deletion_warning: Name & { date: Day; since: Day; amount: Rupiah };
	deleted: Name & { since: Day };
	terminated: { service: string; reason: string | Why };
	terminated_refunded: { service: string; reason: string | Why; amount: Rupiah };
	expired: { service: string };
	renewal_notice: Name & { date: Day; amount: Rupiah; balance: Rupiah };
	renewal_notice_short: Name & { date: Day; amount: Rupiah; due: Rupiah; balance: Rupiah; shortfall: Rupiah };
	low_credit: Name & { amount: Rupiah; days: number; balance: Rupiah; date: Day; price: Rupiah; shortfall: Rupiah };
	upgrade_completed: Service & { price: Rupiah };
	upgrade_failed: Service & { previous: string; reason: string | Why };
	upgrade_failed_refunded: Service & { previous: string; reason: string | Why };
	app_restored: Name & { service: string; url: string; date: Day };
	app_restore_failed: Name & { service: string; reason: string | Why; date: Day };
	restore_failed: Name & { reason: string | Why };
	/** A failed restore whose switch back to the earlier data failed too. */
	restore_switch_back_failed: Name & { reason: string | Why };
	backup_failed: Name & { reason: string | Why };
};

export type NotificationTextKey = keyof Texts;
export type NotificationText = { [K in NotificationTextKey]: { key: K; params: Texts[K] } }[NotificationTextKey];

/** Every key, for the test that each has its messages in both languages. */
export const NOTIFICATION_TEXT_KEYS = Object.keys({
	wallet_credited: 1,
	wallet_debited: 1,
	proof_approved: 1,
	proof_rejected: 1,
	top_up_completed: 1,
	top_up_failed: 1,
	waitlist_slot: 1,
	instance_action_failed: 1,
	instance_missing: 1,
	domain_active: 1,
	domain_failed: 1,
	instance_running: 1,
	instance_failed: 1,
	instance_failed_refunded: 1,
	resumed: 1,
	resumed_charged: 1,
	extended: 1,
	suspended_by_staff: 1,
	price_changed: 1,
	price_changed_next: 1,
	price_withdrawn: 1,
	suspended_unpaid: 1,
	grace_reminder: 1,
	grace_reminder_one: 1,
	grace_extended: 1,
	renewal_waived: 1,
	renewed: 1,
	renewed_free: 1,
	renewal_failed: 1,
	started_granted: 1,
	started_granted_then_paid: 1,
	started_paid: 1,
	started_free: 1,
	deletion_warning: 1,
	deleted: 1,
	terminated: 1,
	terminated_refunded: 1,
	expired: 1,
	renewal_notice: 1,
	renewal_notice_short: 1,
	low_credit: 1,
	upgrade_completed: 1,
	upgrade_failed: 1,
	upgrade_failed_refunded: 1,
	app_restored: 1,
	app_restore_failed: 1,
	restore_failed: 1,
	restore_switch_back_failed: 1,
	backup_failed: 1
} satisfies Record<NotificationTextKey, 1>) as NotificationTextKey[];

type Message = (inputs: Record<string, string | number>, options: { locale: Locale }) => string;
const messages = m as unknown as Record<string, Message | undefined>;

function formatParam(value: TextParam, locale: Locale): string | number {
	if (typeof value !== 'object') return value;
	if ('rupiah' in value) return formatRupiah(value.rupiah);
	if ('date' in value) return formatDate(value.date, locale);
	if ('why' in value) {
		return whyIn(value.why, locale) ?? value.english;
	}
	return formatPeriod(value.period[0], value.period[1], locale);
}

function whyIn(why: Why['why'], locale: Locale): string | null {
	if ('instance' in why) return renderInstanceReason(why.instance, locale);
	if ('domain' in why) return renderDomainReason(why.domain, locale);
	if ('topUp' in why) return topUpReasons.render(why.topUp, locale);
	return endReasons.render(why.end, locale);
}

/** The title and body in a language; null for a key this version does not know. */
export function renderText(text: NotificationText, locale: Locale): { title: string; body: string } | null {
	const title = messages[`notif_${text.key}_title`];
	const body = messages[`notif_${text.key}_body`];
	if (!title || !body) return null;
	const params: Record<string, string | number> = Object.fromEntries(
		Object.entries(text.params as Record<string, TextParam>).map(([name, value]) => [name, formatParam(value, locale)])
	);
	return { title: title(params, { locale }), body: body(params, { locale }) };
}

/** What a stored notification says in a language: its text when it has one, else its stored title and body. */
export function notificationWords(
	stored: { title: string; body: string; text?: NotificationText | null },
	locale: Locale
): { title: string; body: string } {
	return (stored.text && renderText(stored.text, locale)) || { title: stored.title, body: stored.body };
}
