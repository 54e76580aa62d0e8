// Getting into an app: its owner sees the secrets MinisPod generated for it (an admin token,
// a first user's password) only after typing their password again, and may replace one, which
// restarts the app with the new value. Both are audited by the names of the secrets, never
// their values; an administrator cannot reveal a customer's secrets.
import { and, eq } from 'drizzle-orm';
import { serviceInstances, services, subscriptions, users } from '../db/schema';
import type { DbOrTx } from '../db/client';
import { audit } from '../audit/service';
import { verifyPassword } from '../auth/passwords';
import { badRequest, invalidState, notFound } from '../errors';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import { generateSecretValue } from '../kube/environment';
import { openSecrets, sealSecrets } from '../secrets/instance-secrets';
import { checkAction } from './transitions';
import { updateInstance } from './state';
import { toRevealedSecrets } from './views';
import { instanceReason, statusReason } from './reasons';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';
import { isEndingInstance } from '$lib/statuses';

/** Who asks, from where (for the audit log). */
export type AccessActor = { id: string; ipAddress?: string | null };

/** The instance with its template, if the actor owns it; anyone else (administrators too) gets NOT_FOUND. */
async function ownedInstance(db: DbOrTx, actor: AccessActor, instanceId: string, lock = false) {
	const query = db
		.select({ instance: serviceInstances, service: services, subscription: subscriptions })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(and(eq(serviceInstances.id, instanceId), eq(serviceInstances.userId, actor.id)));
	const [row] = lock ? await query.for('update', { of: serviceInstances }) : await query;
	if (!row) throw notFound('App');
	return row;
}

/** An app being deleted or deleted keeps its secrets for a restore by staff, not for its owner to read or change. */
function refuseIfEnding(instance: { status: string }) {
	if (isEndingInstance(instance.status)) {
		throw invalidState(say(m.txt9d_srv_app_ending_secrets));
	}
}

/** The app's generated secrets, after the owner's password is checked again. */
export async function revealSecrets(runtime: Runtime, actor: AccessActor, input: { instanceId: string; password: string }) {
	const { db } = runtime;
	const { instance, service } = await ownedInstance(db, actor, input.instanceId);
	refuseIfEnding(instance);
	const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
	const entry = { actorId: actor.id, entityType: 'instance', entityId: instance.id, ipAddress: actor.ipAddress ?? null };
	if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
		await audit(db, { ...entry, action: 'instance.secrets.reveal_refused' });
		throw badRequest('password', say(m.srv2_not_your_password));
	}
	const secrets = openSecrets(instance.id, instance.generatedSecrets) ?? {};
	await audit(db, { ...entry, action: 'instance.secrets.revealed', details: { names: Object.keys(secrets).sort() } });
	return toRevealedSecrets(service.envTemplate, secrets);
}

/**
 * A new value for one generated secret: sealed and stored, and the app restarted, which
 * writes the value into its Kubernetes Secret before rolling the pods (`bringUp`).
 */
export async function rotateSecret(runtime: Runtime, actor: AccessActor, input: { instanceId: string; name: string }) {
	return runtime.db.transaction(async (tx) => {
		const { instance, service, subscription } = await ownedInstance(tx, actor, input.instanceId, true);
		refuseIfEnding(instance);
		const spec = service.envTemplate.find((entry) => entry.name === input.name)?.secret;
		const secrets = openSecrets(instance.id, instance.generatedSecrets) ?? {};
		if (!spec || secrets[input.name] === undefined) throw badRequest('name', say(m.srv2_no_secret_named, { name: input.name }));
		const check = checkAction('restart', instance, subscription);
		if (!check.allowed) throw invalidState(check.reason);
		secrets[input.name] = generateSecretValue(spec);
		const updated = await updateInstance(tx, instance.id, {
			status: check.via,
			...statusReason(instanceReason('restarting_new_secret', { name: input.name })),
			generatedSecrets: sealSecrets(instance.id, secrets)
		});
		await enqueue(
			runtime.boss,
			'instance-action',
			{ instanceId: instance.id, action: 'restart' },
			{ tx, singletonKey: instance.id }
		);
		await audit(tx, {
			actorId: actor.id,
			action: 'instance.secret.rotated',
			entityType: 'instance',
			entityId: instance.id,
			details: { name: input.name },
			ipAddress: actor.ipAddress ?? null
		});
		return updated;
	});
}
