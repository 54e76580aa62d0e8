// The catalog editor's plans: created, edited and hidden. A plan is saved only when the
// app's Kubernetes objects for it are valid; its total slots never drop below those in use;
// a new price reaches subscribers at their next renewal (and they are told), new resources
// reach new subscriptions and upgrades (subscriptions/plan-changes.ts).
import { eq } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import type { Tx } from '../db/client';
import { servicePlans, services, type ServicePlan } from '../db/schema';
import { audit, type AuditActor } from '../audit/service';
import { publish } from '../events';
import { badRequest, notFound, quotaBelowUsed } from '../errors';
import { planOfferProblems, type PlanFields } from '../catalog/editor-schemas';
import { assertValidPreviews, previewPlan } from '../catalog/preview';
import { toEditorPlanView, toPlanUpdateView } from '../catalog/editor-views';
import { resourcesChanged } from '../catalog/plan-terms';
import { applyPlanChange } from '../subscriptions/plan-changes';
import { offerFreeSlots } from '../waitlist/service';
import type { PlanType } from '$lib/statuses';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

async function loadService(tx: Tx, serviceId: string) {
	const [service] = await tx.select().from(services).where(eq(services.id, serviceId));
	if (!service) throw notFound('Service');
	return service;
}

function isPlanTypeTaken(error: unknown) {
	const cause = ((error as { cause?: unknown }).cause ?? error) as { code?: string; constraint?: string };
	return cause.code === '23505' && cause.constraint === 'service_plans_service_type_unique';
}

export async function createPlan(
	runtime: Runtime,
	actor: AuditActor,
	input: PlanFields & { serviceId: string; planType: PlanType }
) {
	return runtime.db.transaction(async (tx) => {
		const service = await loadService(tx, input.serviceId);
		assertValidPreviews([previewPlan(service, { id: 'new-plan', ...input }, runtime.config.kube)]);
		const [plan] = await tx
			.insert(servicePlans)
			.values(input)
			.returning()
			.catch((error) => {
				if (isPlanTypeTaken(error))
					throw badRequest('planType', say(m.srv2_plan_type_taken, { service: service.name, planType: input.planType }));
				throw error;
			});
		await audit(tx, {
			actorId: actor.adminId,
			ipAddress: actor.ipAddress,
			action: 'catalog.plan.create',
			entityType: 'service_plan',
			entityId: plan.id,
			details: { serviceId: service.id, planType: plan.planType, monthlyPrice: plan.monthlyPrice, totalQuota: plan.totalQuota }
		});
		await publish(tx, { type: 'catalog' });
		return toEditorPlanView(plan);
	});
}

/** What an edit changed, for the audit log: each field from before to after. */
function difference(before: ServicePlan, after: ServicePlan) {
	const fields = Object.keys(after).filter(
		(key) => !['updatedAt', 'createdAt', 'usedQuota'].includes(key)
	) as (keyof ServicePlan)[];
	return Object.fromEntries(
		fields
			.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
			.map((key) => [key, { from: before[key], to: after[key] }])
	);
}

export async function updatePlan(
	runtime: Runtime,
	actor: AuditActor,
	input: { id: string; plan: Partial<PlanFields>; reason?: string }
) {
	return runtime.db.transaction(async (tx) => {
		const [before] = await tx.select().from(servicePlans).where(eq(servicePlans.id, input.id)).for('update');
		if (!before) throw notFound('Plan');
		const service = await loadService(tx, before.serviceId);
		const patch = input.plan;
		if (patch.totalQuota !== undefined && patch.totalQuota < before.usedQuota) {
			throw quotaBelowUsed(before.usedQuota);
		}
		const [problem] = planOfferProblems({ ...before, ...patch });
		if (problem) throw badRequest(`plan.${problem.field}`, problem.sentence);
		if (resourcesChanged(before, patch)) {
			assertValidPreviews([previewPlan(service, { ...before, ...patch }, runtime.config.kube)]);
		}
		const [after] = await tx.update(servicePlans).set(patch).where(eq(servicePlans.id, before.id)).returning();
		const effects = await applyPlanChange(tx, { before, after, serviceName: service.name, now: runtime.clock.now() });
		const offered = after.totalQuota > before.totalQuota ? await offerFreeSlots(tx, after.id) : 0;
		const changes = difference(before, after);
		await audit(tx, {
			actorId: actor.adminId,
			ipAddress: actor.ipAddress,
			action:
				after.isActive === before.isActive ? 'catalog.plan.update' : after.isActive ? 'catalog.plan.show' : 'catalog.plan.hide',
			entityType: 'service_plan',
			entityId: after.id,
			details: { changes, ...effects, offered, ...(input.reason ? { reason: input.reason } : {}) }
		});
		await publish(tx, { type: 'catalog' });
		return toPlanUpdateView(after, effects, offered);
	});
}
