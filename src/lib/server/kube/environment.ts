// What the app's container finds in its environment: secrets generated once per instance,
// literal values and values derived from the instance, and a hash of both that rolls the
// pods when either changes.
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { EnvTemplateEntry } from '../db/schema';
import type { KubeSettings, ManifestInstance, ManifestService } from './inputs';
import { companionEnv } from './companion';
import { publicHost, publicUrl } from './names';

type SecretSpec = NonNullable<EnvTemplateEntry['secret']>;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A crypto-random string of exactly `length` characters in the template's encoding. */
export function generateSecretValue(spec: SecretSpec, randomBytes: (size: number) => Buffer = cryptoRandomBytes): string {
	const { length } = spec;
	if (!Number.isInteger(length) || length < 1) throw new Error(`Secret length must be a positive integer, got ${length}`);
	switch (spec.encoding ?? 'alphanumeric') {
		case 'hex':
			return randomBytes(Math.ceil(length / 2))
				.toString('hex')
				.slice(0, length);
		case 'base64url':
			return randomBytes(Math.ceil((length * 3) / 4))
				.toString('base64url')
				.slice(0, length);
		case 'alphanumeric': {
			// Rejection sampling keeps every character equally likely (248 = 4 * 62).
			let out = '';
			while (out.length < length) {
				for (const byte of randomBytes(length)) {
					if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
				}
			}
			return out;
		}
	}
}

/**
 * The complete secret map for an instance: every existing value kept as it is (secrets are
 * generated once and survive retries, upgrades and template edits), and only the template's
 * missing secrets generated. `generated` lists the new names, so the caller knows to save.
 */
export function ensureGeneratedSecrets(
	envTemplate: EnvTemplateEntry[],
	existing: Record<string, string> | null | undefined,
	randomBytes: (size: number) => Buffer = cryptoRandomBytes
): { secrets: Record<string, string>; generated: string[] } {
	const secrets: Record<string, string> = { ...(existing ?? {}) };
	const generated: string[] = [];
	for (const entry of envTemplate) {
		if (!entry.secret || secrets[entry.name] !== undefined) continue;
		secrets[entry.name] = generateSecretValue(entry.secret, randomBytes);
		generated.push(entry.name);
	}
	return { secrets, generated };
}

/** The non-secret environment: literal values and values derived from the instance. */
export function resolveEnvironment(
	service: Pick<ManifestService, 'envTemplate' | 'dataMountPath' | 'companionDatabase'>,
	instance: Pick<ManifestInstance, 'name' | 'subdomain'>,
	settings: Pick<KubeSettings, 'baseDomain'>
): Record<string, string> {
	const derived: Record<NonNullable<EnvTemplateEntry['derived']>, string> = {
		PUBLIC_URL: publicUrl(instance.subdomain, settings.baseDomain),
		PUBLIC_HOST: publicHost(instance.subdomain, settings.baseDomain),
		INSTANCE_NAME: instance.name,
		DATA_DIR: service.dataMountPath
	};
	const env: Record<string, string> = {};
	for (const entry of service.envTemplate) {
		if (entry.secret || entry.companion) continue;
		if (entry.derived) env[entry.name] = derived[entry.derived];
		else if (entry.value !== undefined) env[entry.name] = entry.value;
	}
	// The companion database's host, port, user and database (its password is a secret).
	return { ...env, ...companionEnv(service, instance, undefined).config };
}

/** The Secret's data: the instance's value for every secret the template lists. */
export function secretData(envTemplate: EnvTemplateEntry[], secrets: Record<string, string>): Record<string, string> {
	const data: Record<string, string> = {};
	for (const entry of envTemplate) {
		if (!entry.secret) continue;
		const value = secrets[entry.name];
		if (value === undefined) {
			throw new Error(`Secret ${entry.name} has not been generated; call ensureGeneratedSecrets first`);
		}
		data[entry.name] = value;
	}
	return data;
}

export function configHash(env: Record<string, string>, secrets: Record<string, string>): string {
	const sorted = (record: Record<string, string>) => Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
	return createHash('sha256')
		.update(JSON.stringify([sorted(env), sorted(secrets)]))
		.digest('hex')
		.slice(0, 16);
}
