// What a plan promises that MinisPod implements is read from the plan's fields, never from
// its marketing lines: the catalog writes those promises from the fields, so a plan cannot
// advertise a custom domain or a backup schedule that the code does not give.
import type { BackupSchedule } from '$lib/statuses';

type PlanPromises = { customDomainsAllowed: number; backupSchedule: BackupSchedule; backupRetention: number };

/** The catalog's lines for a plan's custom domains and backups (none when the plan has neither). */
export function planPromiseLines(plan: PlanPromises): string[] {
	const lines: string[] = [];
	if (plan.customDomainsAllowed === 1) lines.push('1 custom domain');
	else if (plan.customDomainsAllowed > 1) lines.push(`${plan.customDomainsAllowed} custom domains`);
	if (plan.backupSchedule !== 'NONE') {
		const schedule = plan.backupSchedule === 'HOURLY' ? 'Hourly' : 'Daily';
		lines.push(plan.backupRetention > 0 ? `${schedule} backups (last ${plan.backupRetention} kept)` : `${schedule} backups`);
	}
	return lines;
}

/** A marketing line that promises what only a plan field may promise (and the code reads). */
export function promisesAField(line: string): boolean {
	return /custom domain|backup/i.test(line);
}
