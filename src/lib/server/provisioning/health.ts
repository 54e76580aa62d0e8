// The periodic look at running apps: pod, readiness and failures as the cluster reports
// them, apps whose objects disappeared from the cluster, and CPU and memory use from the
// metrics API (one sample a minute, kept for a day).
import { and, eq, inArray, lt } from 'drizzle-orm';
import { instanceUsageSamples, serviceInstances, subscriptions, type ServiceInstance } from '../db/schema';
import { podFailureReason } from '../kube/rollout';
import { instanceSelector } from '../kube/names';
import type { PodUsage } from '../kube/metrics';
import { notify } from '../notifications/service';
import type { Runtime } from '../runtime';
import { updateInstance } from '../instances/state';
import { namesOf } from './objects';
import { instanceReason, statusReason } from '../instances/reasons';
import { clusterReason } from './attempts';

/** How long usage samples are kept. */
const USAGE_HISTORY_MS = 24 * 60 * 60_000;

/**
 * Refreshes the pod, health, last check and resource usage of running apps; marks an app
 * whose pod is failing, or whose Deployment is gone, as ERROR with the reason (telling the
 * owner once), and a recovered one RUNNING again.
 */
export async function refreshInstanceHealth(runtime: Runtime, now = new Date()) {
	const watched = await runtime.db
		.select({ instance: serviceInstances })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.where(
			and(inArray(serviceInstances.status, ['RUNNING', 'ERROR']), inArray(subscriptions.status, ['ACTIVE', 'PENDING_UPGRADE']))
		);
	let checked = 0;
	const usage = new UsageReader(runtime);
	for (const { instance } of watched) {
		try {
			if (await refreshOne(runtime, instance)) checked += 1;
			await usage.record(instance, now);
		} catch (error) {
			runtime.log.warn({ err: error, instanceId: instance.id }, 'health check of an app failed');
		}
	}
	await runtime.db
		.delete(instanceUsageSamples)
		.where(lt(instanceUsageSamples.sampledAt, new Date(now.getTime() - USAGE_HISTORY_MS)));
	return { checked, usageAvailable: usage.available };
}

async function refreshOne(runtime: Runtime, instance: ServiceInstance): Promise<boolean> {
	const names = namesOf(instance);
	const deployment = await runtime.cluster.getDeployment(names.namespace, names.deployment);
	if (!deployment) return markMissing(runtime, instance);
	const [pod] = await runtime.cluster.deploymentPods(deployment);
	const failure = pod ? podFailureReason(pod) : undefined;
	const ready = pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
	const observed = { lastHealthCheck: new Date(), podName: pod?.metadata?.name ?? null };
	const patch = ready
		? {
				status: 'RUNNING' as const,
				...(instance.status === 'ERROR'
					? statusReason(null)
					: { statusReason: instance.statusReason, statusReasonText: instance.statusReasonText }),
				healthStatus: 'healthy'
			}
		: failure
			? { status: 'ERROR' as const, ...statusReason(clusterReason(failure)), healthStatus: 'failing' }
			: { healthStatus: 'starting' };
	await updateInstance(runtime.db, instance.id, { ...patch, ...observed }, [instance.status]);
	return true;
}

/**
 * An app that was set up (it has its address) but whose Deployment is gone (deleted out of
 * band, a rebuilt cluster): failing, and its owner told once, with repair offered. An app
 * whose set-up failed has nothing on the cluster and is left alone.
 */
async function markMissing(runtime: Runtime, instance: ServiceInstance): Promise<boolean> {
	if (!instance.publicUrl || instance.healthStatus === 'missing') return false;
	await runtime.db.transaction(async (tx) => {
		const marked = await updateInstance(
			tx,
			instance.id,
			{
				status: 'ERROR',
				...statusReason(instanceReason('missing', {})),
				healthStatus: 'missing',
				podName: null,
				lastHealthCheck: new Date()
			},
			[instance.status]
		);
		if (!marked) return;
		await notify(tx, {
			userId: instance.userId,
			type: 'INSTANCE_MISSING',
			text: { key: 'instance_missing', params: { name: instance.name } },
			link: `/instances/${instance.id}`
		});
	});
	return true;
}

/** Reads PodMetrics once per namespace and keeps one sample per app and minute. */
class UsageReader {
	private readonly byNamespace = new Map<string, PodUsage[] | undefined>();
	/** False once the cluster said it has no metrics API. */
	available = true;

	constructor(private readonly runtime: Runtime) {}

	async record(instance: ServiceInstance, now: Date) {
		const names = namesOf(instance);
		if (this.available && !this.byNamespace.has(names.namespace)) {
			this.byNamespace.set(names.namespace, await this.runtime.cluster.podMetrics(names.namespace));
		}
		const pods = this.byNamespace.get(names.namespace);
		if (!pods) {
			// No metrics API on this cluster: a check time without numbers says so.
			this.available = false;
			await this.runtime.db
				.update(serviceInstances)
				.set({ cpuUsageMilli: null, memoryUsageMb: null, usageAt: now })
				.where(eq(serviceInstances.id, instance.id));
			return;
		}
		const selector = instanceSelector(instance);
		const mine = pods.filter((pod) => Object.entries(selector).every(([key, value]) => pod.labels[key] === value));
		if (mine.length === 0) return;
		const cpuMilli = mine.reduce((total, pod) => total + pod.cpuMilli, 0);
		const memoryMb = mine.reduce((total, pod) => total + pod.memoryMb, 0);
		const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
		await this.runtime.db
			.update(serviceInstances)
			.set({ cpuUsageMilli: cpuMilli, memoryUsageMb: memoryMb, usageAt: now })
			.where(eq(serviceInstances.id, instance.id));
		await this.runtime.db
			.insert(instanceUsageSamples)
			.values({ instanceId: instance.id, sampledAt: minute, cpuMilli, memoryMb })
			.onConflictDoUpdate({
				target: [instanceUsageSamples.instanceId, instanceUsageSamples.sampledAt],
				set: { cpuMilli, memoryMb }
			});
	}
}
