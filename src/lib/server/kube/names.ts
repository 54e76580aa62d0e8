// How MinisPod names and labels what it creates: a namespace per user, objects named after
// the instance's subdomain, the recommended app.kubernetes.io labels, and the DNS rules the
// API server checks names against.
import { createHash } from 'node:crypto';
import type { ManifestInstance, ManifestService } from './inputs';

export const APP_CONTAINER = 'app';
export const HTTP_PORT_NAME = 'http';
export const SERVICE_PORT = 80;

export const LABEL = {
	managedBy: 'app.kubernetes.io/managed-by',
	name: 'app.kubernetes.io/name',
	instance: 'app.kubernetes.io/instance',
	version: 'app.kubernetes.io/version',
	component: 'app.kubernetes.io/component',
	userId: 'minispod.io/user-id',
	instanceId: 'minispod.io/instance-id'
} as const;

export const MANAGED_BY = 'minispod';

export const ANNOTATION = {
	/** Changing it on the pod template rolls the pods (what `kubectl rollout restart` does). */
	restartedAt: 'kubectl.kubernetes.io/restartedAt',
	/** Hash of the environment, so a changed ConfigMap or Secret rolls the pods too. */
	configHash: 'minispod.io/config-hash',
	planId: 'minispod.io/plan-id',
	clusterIssuer: 'cert-manager.io/cluster-issuer'
} as const;

/** Names of the namespace-wide objects (one each per user namespace). */
export const NAMESPACE_OBJECTS = {
	resourceQuota: 'minispod-quota',
	limitRange: 'minispod-limits',
	networkPolicy: 'minispod-isolation'
} as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A DNS-1123 label: at most 63 lowercase letters, digits and dashes, alphanumeric at both ends. */
export function isDnsLabel(value: string): boolean {
	return value.length <= 63 && DNS_LABEL.test(value);
}

/** A DNS-1035 label (what Service names must be): a DNS-1123 label starting with a letter. */
export function isDns1035Label(value: string): boolean {
	return value.length <= 63 && DNS_1035_LABEL.test(value);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
	return value.length <= 253 && DNS_SUBDOMAIN.test(value) && value.split('.').every((label) => label.length <= 63);
}

export function isLabelValue(value: string): boolean {
	return value.length <= 63 && LABEL_VALUE.test(value);
}

/** The namespace that holds every app of one user. */
export function namespaceForUser(userId: string): string {
	const name = `user-${userId.toLowerCase()}`;
	if (!isDnsLabel(name)) throw new Error(`User id ${JSON.stringify(userId)} does not make a valid namespace name`);
	return name;
}

/**
 * The namespace of an app whose template cannot run under Pod Security "restricted": one
 * of its own, so it never lowers the level the user's other apps run under.
 */
export function isolatedNamespace(userId: string, instanceId: string): string {
	const hash = createHash('sha256').update(instanceId).digest('hex').slice(0, 8);
	return `${namespaceForUser(userId)}-${hash}`;
}

/** Where an app runs: the user's namespace, or its own when its template cannot run restricted. */
export function appNamespace(
	instance: Pick<ManifestInstance, 'id' | 'userId'>,
	service: Pick<ManifestService, 'podSecurityLevel'>
): string {
	return service.podSecurityLevel === 'restricted'
		? namespaceForUser(instance.userId)
		: isolatedNamespace(instance.userId, instance.id);
}

// Room for the pod name suffixes the cluster adds (`-<template hash>-<5 chars>`) within 63.
const MAX_BASE_NAME = 40;

/**
 * The base name of an instance's objects, stable for the instance: its subdomain when that
 * is already a short DNS-1035 label, otherwise a shortened form with a hash of the subdomain.
 */
export function instanceBaseName(subdomain: string): string {
	if (!isDnsLabel(subdomain)) {
		throw new Error(`Subdomain ${JSON.stringify(subdomain)} is not a valid DNS label`);
	}
	let name = /^[a-z]/.test(subdomain) ? subdomain : `app-${subdomain}`;
	if (name.length > MAX_BASE_NAME) {
		const hash = createHash('sha256').update(subdomain).digest('hex').slice(0, 6);
		name = `${name.slice(0, MAX_BASE_NAME - 7).replace(/-+$/, '')}-${hash}`;
	}
	return name;
}

export type InstanceNames = {
	namespace: string;
	base: string;
	deployment: string;
	service: string;
	ingress: string;
	secret: string;
	configMap: string;
	persistentVolumeClaim: string;
	tlsSecret: string;
	/** The objects of the companion database, if the template has one (kube/companion.ts). */
	database: CompanionNames;
};

export type CompanionNames = {
	deployment: string;
	service: string;
	persistentVolumeClaim: string;
	secret: string;
	networkPolicy: string;
};

/**
 * The claims of one generation of an app's volumes: its first (no suffix), or those a
 * restore made from a backup (`-<suffix>`), which the app's and its database's pods mount
 * from then on.
 */
export function volumeClaimNames(subdomain: string, suffix?: string | null) {
	const tail = suffix ? `-${suffix}` : '';
	const base = instanceBaseName(subdomain);
	return { app: `${base}-data${tail}`, database: `${base}-db-data${tail}` };
}

/** Which of an app's volumes a claim of any generation is: its database's or its own. */
export function claimRole(subdomain: string, claim: string): 'app' | 'database' {
	return claim.startsWith(volumeClaimNames(subdomain).database) ? 'database' : 'app';
}

export function companionNames(subdomain: string, volumeSuffix?: string | null): CompanionNames {
	const base = `${instanceBaseName(subdomain)}-db`;
	return {
		deployment: base,
		service: base,
		persistentVolumeClaim: volumeClaimNames(subdomain, volumeSuffix).database,
		secret: `${base}-secrets`,
		networkPolicy: base
	};
}

/**
 * The names of an instance's objects. The namespace is the one recorded on the instance
 * when it has one (set when it is provisioned), else the user's.
 */
export function instanceNames(
	instance: Pick<ManifestInstance, 'userId' | 'subdomain' | 'volumeSuffix'> & { namespace?: string }
): InstanceNames {
	const base = instanceBaseName(instance.subdomain);
	return {
		namespace: instance.namespace ?? namespaceForUser(instance.userId),
		base,
		deployment: base,
		service: base,
		ingress: base,
		secret: `${base}-secrets`,
		configMap: `${base}-config`,
		persistentVolumeClaim: volumeClaimNames(instance.subdomain, instance.volumeSuffix).app,
		tlsSecret: `${base}-tls`,
		database: companionNames(instance.subdomain, instance.volumeSuffix)
	};
}

/**
 * The TLS Secret of one custom domain of an app: cert-manager keeps each TLS entry's
 * certificate in the Secret the entry names, so each domain gets its own and can go alone.
 */
export function customDomainTlsSecret(names: Pick<InstanceNames, 'base'>, hostname: string): string {
	const hash = createHash('sha256').update(hostname).digest('hex').slice(0, 10);
	return `${names.base}-domain-${hash}-tls`;
}

export function publicHost(subdomain: string, baseDomain: string): string {
	return `${subdomain}.${baseDomain}`;
}

export function publicUrl(subdomain: string, baseDomain: string): string {
	return `https://${publicHost(subdomain, baseDomain)}`;
}

/** A label value made from free text (a slug or version): invalid characters become dashes. */
export function labelValue(value: string): string {
	const cleaned = value
		.replace(/[^A-Za-z0-9_.-]/g, '-')
		.slice(0, 63)
		.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
	return cleaned;
}

export function namespaceLabels(userId: string): Record<string, string> {
	return { [LABEL.managedBy]: MANAGED_BY, [LABEL.userId]: userId };
}

/** Labels that select an instance's pods; part of the immutable Deployment selector. */
export function instanceSelector(instance: Pick<ManifestInstance, 'id' | 'subdomain'>): Record<string, string> {
	return { [LABEL.instance]: instanceBaseName(instance.subdomain), [LABEL.instanceId]: instance.id };
}

export function instanceLabels(service: ManifestService, instance: ManifestInstance): Record<string, string> {
	const labels: Record<string, string> = {
		[LABEL.managedBy]: MANAGED_BY,
		[LABEL.name]: labelValue(service.slug),
		...instanceSelector(instance),
		[LABEL.userId]: instance.userId
	};
	const version = labelValue(service.version);
	if (version) labels[LABEL.version] = version;
	return labels;
}
