// The billing work that falls due as time passes, in one place: what the renewal sweep,
// the daily reminders and the deletion job do on their schedules, and what the test clock
// runs at once after moving MinisPod's billing time forward.
import { forbidden } from '../errors';
import { audit } from '../audit/service';
import { moveBillingClock } from '../clock';
import type { Runtime } from '../runtime';
import { expireEndedPeriods } from './cancel';
import { deleteExpiredSuspensions, warnBeforeDeletion } from './deletion';
import { remindPastDue, retryPastDueRenewals, suspendEndedGracePeriods } from './grace';
import { sendRenewalNotices, warnLowCredit } from './notices';
import { DAY_MS } from './renewal-rules';
import { sweepDueRenewals } from './renewal';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

/** What the renewal sweep job does: charge due renewals, then suspend ended grace periods. */
export async function renewalSweep(runtime: Runtime, now = runtime.clock.now()) {
	const renewals = await sweepDueRenewals(runtime, { now });
	const { suspended } = await suspendEndedGracePeriods(runtime, now);
	return { ...renewals, suspended };
}

/** What the daily job does: retry past-due renewals, remind, announce renewals, warn of low credit. */
export async function dailyBillingReminders(runtime: Runtime, now = runtime.clock.now()) {
	const retried = await retryPastDueRenewals(runtime, now);
	const { reminded } = await remindPastDue(runtime, now);
	const { sent: notices } = await sendRenewalNotices(runtime, now);
	const { warned: lowCredit } = await warnLowCredit(runtime, now);
	return { retried: retried.renewed, reminded, notices, lowCredit };
}

/** What the deletion job does: warn before, then delete, apps suspended for non-payment. */
export async function deletionUpkeep(runtime: Runtime, now = runtime.clock.now()) {
	const { warned } = await warnBeforeDeletion(runtime, now);
	const { deleted } = await deleteExpiredSuspensions(runtime, now);
	return { warned, deleted };
}

/** Every piece of billing work due at `now`, in order. */
export async function runDueBillingWork(runtime: Runtime, now = runtime.clock.now()) {
	const sweep = await renewalSweep(runtime, now);
	const daily = await dailyBillingReminders(runtime, now);
	const deletion = await deletionUpkeep(runtime, now);
	const { expired } = await expireEndedPeriods(runtime, now);
	return {
		renewed: sweep.renewed + daily.retried,
		pastDue: sweep.pastDue,
		suspended: sweep.suspended,
		reminded: daily.reminded,
		notices: daily.notices,
		lowCredit: daily.lowCredit,
		deletionWarnings: deletion.warned,
		deleted: deletion.deleted,
		expired
	};
}

export type BillingWork = Awaited<ReturnType<typeof runDueBillingWork>>;

/** Whether the billing clock may be moved: MINISPOD_TEST_CLOCK, or money is simulated anyway. */
export const testClockEnabled = (runtime: Runtime) => runtime.config.billing.testClock || runtime.standIns.payments;

/**
 * Moves the billing clock forward by whole days, like Stripe's test clocks, one day at a time
 * with the day's due work run after each step, so a month passes as it would have: renewals,
 * notices, reminders, suspensions and deletions each on their day. `days: 0` only runs what
 * is due now. Returns when all of it is done.
 */
export async function advanceClock(runtime: Runtime, admin: { id: string }, input: { days: number }) {
	if (!testClockEnabled(runtime)) {
		throw forbidden(say(m.srv2_test_clock_off));
	}
	const from = runtime.clock.now();
	const total: BillingWork = {
		renewed: 0,
		pastDue: 0,
		suspended: 0,
		reminded: 0,
		notices: 0,
		lowCredit: 0,
		deletionWarnings: 0,
		deleted: 0,
		expired: 0
	};
	for (let step = 0; step <= input.days; step++) {
		if (step > 0) {
			const offset = await runtime.db.transaction((tx) => moveBillingClock(tx, DAY_MS));
			runtime.clock.observe(offset);
		}
		const work = await runDueBillingWork(runtime, runtime.clock.now());
		for (const key of Object.keys(total) as (keyof BillingWork)[]) total[key] += work[key];
	}
	const now = runtime.clock.now();
	await audit(runtime.db, {
		actorId: admin.id,
		action: 'billing.advance_clock',
		entityType: 'billing_clock',
		entityId: '1',
		details: { days: input.days, from: from.toISOString(), to: now.toISOString(), ...total }
	});
	runtime.log.info({ days: input.days, now, ...total }, 'billing clock advanced');
	return { now, offsetMs: runtime.clock.offsetMs(), days: input.days, work: total };
}
