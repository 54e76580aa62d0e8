// What an app uses of its plan: the latest CPU and memory reading, the last day's history
// for the chart, and a customer's totals across apps. The health job writes the readings
// (provisioning/health.ts); this file only reads them.
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { instanceUsageSamples, serviceInstances, servicePlans, subscriptions, type ServiceInstance } from '../db/schema';

type PlanLimits = { cpuMilli: number; memoryMb: number };

/** Usage is shown only for apps that run; a reading older than this is stale. */
const FRESH_MS = 5 * 60_000;

export type UsageView =
	| { state: 'unknown' }
	| { state: 'unavailable' }
	| { state: 'measured'; at: Date; cpuMilli: number; memoryMb: number; limits: PlanLimits };

/** The latest reading against the plan's limits, or why there is none. */
export function usageView(
	instance: Pick<ServiceInstance, 'status' | 'cpuUsageMilli' | 'memoryUsageMb' | 'usageAt'>,
	plan: PlanLimits,
	now = new Date()
): UsageView {
	if (!instance.usageAt) return { state: 'unknown' };
	if (instance.cpuUsageMilli === null || instance.memoryUsageMb === null) return { state: 'unavailable' };
	if (instance.status !== 'RUNNING' || now.getTime() - instance.usageAt.getTime() > FRESH_MS) return { state: 'unknown' };
	return {
		state: 'measured',
		at: instance.usageAt,
		cpuMilli: instance.cpuUsageMilli,
		memoryMb: instance.memoryUsageMb,
		limits: { cpuMilli: plan.cpuMilli, memoryMb: plan.memoryMb }
	};
}

/** The image as people read it: name and tag, without the digest it is pinned by. */
export function displayImage(image: string): string {
	return image.split('@')[0];
}

/** One point a minute for the last day, oldest first. */
export async function usageHistory(db: DbOrTx, instanceId: string, now = new Date()) {
	return db
		.select({
			at: instanceUsageSamples.sampledAt,
			cpuMilli: instanceUsageSamples.cpuMilli,
			memoryMb: instanceUsageSamples.memoryMb
		})
		.from(instanceUsageSamples)
		.where(
			and(
				eq(instanceUsageSamples.instanceId, instanceId),
				gte(instanceUsageSamples.sampledAt, new Date(now.getTime() - 86_400_000))
			)
		)
		.orderBy(asc(instanceUsageSamples.sampledAt));
}

/** A customer's running apps together: what they use now against what their plans allow. */
export async function customerUsageTotals(db: DbOrTx, userId: string, now = new Date()) {
	const rows = await db
		.select({ instance: serviceInstances, plan: { cpuMilli: servicePlans.cpuMilli, memoryMb: servicePlans.memoryMb } })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.where(and(eq(serviceInstances.userId, userId), inArray(serviceInstances.status, ['RUNNING'])));
	return addUpUsage(rows.map(({ instance, plan }) => usageView(instance, plan, now)));
}

/**
 * Apps' readings added up: what the measured ones use against what their own plans allow. An
 * app not measured yet counts in neither figure, so the share is not understated while one
 * waits for its first reading (the page says how many are measured).
 */
export function addUpUsage(views: UsageView[]) {
	const measured = views.flatMap((view) => (view.state === 'measured' ? [view] : []));
	return {
		apps: views.length,
		measuredApps: measured.length,
		unavailable: views.some((view) => view.state === 'unavailable'),
		cpuMilli: measured.reduce((total, view) => total + view.cpuMilli, 0),
		memoryMb: measured.reduce((total, view) => total + view.memoryMb, 0),
		limits: {
			cpuMilli: measured.reduce((total, view) => total + view.limits.cpuMilli, 0),
			memoryMb: measured.reduce((total, view) => total + view.limits.memoryMb, 0)
		}
	};
}
