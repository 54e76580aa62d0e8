// The daily record of every plan's slots, which the slot utilisation report reads (plans
// only know their slots now). Written once a day near midnight WIB; running it again the
// same day replaces that day's figures.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { todayInWib } from '$lib/analytics';

export async function snapshotPlanSlots(db: DbOrTx, day = todayInWib()) {
	const result = await db.execute(sql`
		INSERT INTO plan_slot_snapshots (day, plan_id, total_quota, used_quota)
		SELECT ${day}::date, id, total_quota, used_quota FROM service_plans
		ON CONFLICT (day, plan_id) DO UPDATE
			SET total_quota = excluded.total_quota, used_quota = excluded.used_quota, created_at = now()`);
	return { day, plans: result.rowCount ?? 0 };
}
