// What a plan promises that MinisPod implements is read from the plan's fields, never from
// its marketing lines: the catalog writes those promises from the fields, so a plan cannot
// advertise a custom domain or a backup schedule that the code does not give.
import { m } from '$lib/paraglide/messages';
import type { BackupSchedule, Locale } from '$lib/statuses';

type PlanPromises = { customDomainsAllowed: number; backupSchedule: BackupSchedule; backupRetention: number };

/** The catalog's lines for a plan's custom domains and backups (none when the plan has neither), in a language. */
export function planPromiseLines(plan: PlanPromises, locale: Locale = 'en'): string[] {
	const lines: string[] = [];
	if (plan.customDomainsAllowed === 1) lines.push(m.txt10_plan_custom_domain_one({}, { locale }));
	else if (plan.customDomainsAllowed > 1)
		lines.push(m.txt10_plan_custom_domains({ count: plan.customDomainsAllowed }, { locale }));
	if (plan.backupSchedule !== 'NONE') {
		const count = plan.backupRetention;
		const hourly = plan.backupSchedule === 'HOURLY';
		lines.push(
			count > 0
				? (hourly ? m.txt10_plan_backups_hourly_kept : m.txt10_plan_backups_daily_kept)({ count }, { locale })
				: (hourly ? m.txt10_plan_backups_hourly : m.txt10_plan_backups_daily)({}, { locale })
		);
	}
	return lines;
}

/**
 * A marketing line that promises what only a plan field may promise (and the code reads), in
 * English or Indonesian ("domain kustom", "cadangan"; "backup" is used in Indonesian too).
 */
export function promisesAField(line: string): boolean {
	return PROMISES.some((promise) => promise.test(line));
}

/**
 * How a line promises a custom domain or a backup, in English and Indonesian: a domain that is
 * the customer's own ("your own domain", "domain Anda sendiri", "domain kustom"), and backups by
 * any form of the word ("dicadangkan", "pencadangan") or by what they are made of ("snapshot").
 * A subdomain MinisPod gives ("HTTPS subdomain") promises neither.
 */
const PROMISES = [
	/custom domains?|(own|your|their) domains?|domains? (name )?of (your|their) own/i,
	/domain (kustom|khusus|sendiri|milik|anda)|domain (\w+ )?sendiri/i,
	/back[- ]?ups?|cadang|snapshot/i
];
