// An instance's generated secrets as stored (each value sealed, bound to the instance and the
// variable's name) and as used (plain, in memory only, on their way into a Kubernetes Secret
// or the owner's reveal). Rows written before encryption hold plain values: they are read
// as they are and sealed at the next boot (`resealInstanceSecrets`).
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { serviceInstances } from '../db/schema';
import { isSealed, open, seal, sealedKeyId, type Keyring } from './box';
import { currentKeyring } from './keyring';

const contextOf = (instanceId: string, name: string) => `instance:${instanceId}:${name}`;

export function sealSecrets(instanceId: string, secrets: Record<string, string>, keyring = currentKeyring()) {
	return Object.fromEntries(
		Object.entries(secrets).map(([name, value]) => [
			name,
			isSealed(value) ? value : seal(keyring, value, contextOf(instanceId, name))
		])
	);
}

export function openSecrets(
	instanceId: string,
	stored: Record<string, string> | null | undefined,
	keyring = currentKeyring()
): Record<string, string> | null {
	if (!stored) return null;
	return Object.fromEntries(
		Object.entries(stored).map(([name, value]) => [
			name,
			isSealed(value) ? open(keyring, value, contextOf(instanceId, name)) : value
		])
	);
}

/** Whether a stored set holds a plain value or one sealed with an older key. */
function needsResealing(stored: Record<string, string>, keyring: Keyring) {
	return Object.values(stored).some((value) => !isSealed(value) || sealedKeyId(value) !== keyring.current.id);
}

/**
 * Seals plain values (rows from before encryption) and re-seals values sealed with the
 * previous key under the current one: run at boot, so a rotation completes by restarting.
 */
export async function resealInstanceSecrets(db: DbOrTx, keyring = currentKeyring()) {
	const rows = await db
		.select({ id: serviceInstances.id, generatedSecrets: serviceInstances.generatedSecrets })
		.from(serviceInstances)
		.where(isNotNull(serviceInstances.generatedSecrets));
	let resealed = 0;
	const unreadable: string[] = [];
	for (const row of rows) {
		if (!row.generatedSecrets || !needsResealing(row.generatedSecrets, keyring)) continue;
		let plain: Record<string, string>;
		try {
			plain = openSecrets(row.id, row.generatedSecrets, keyring)!;
		} catch {
			// A key left out (or a damaged value) must not stop the start: the rest is re-sealed,
			// and this app's jobs fail with the reason until the key is given again.
			unreadable.push(row.id);
			continue;
		}
		const fresh = Object.fromEntries(
			Object.entries(plain).map(([name, value]) => [name, seal(keyring, value, contextOf(row.id, name))])
		);
		// Only if unchanged meanwhile: another process may have added a secret since the read.
		await db
			.update(serviceInstances)
			.set({ generatedSecrets: fresh })
			.where(
				and(
					eq(serviceInstances.id, row.id),
					sql`${serviceInstances.generatedSecrets} = ${JSON.stringify(row.generatedSecrets)}::jsonb`
				)
			);
		resealed += 1;
	}
	return { resealed, unreadable };
}
