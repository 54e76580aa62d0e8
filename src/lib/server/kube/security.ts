// Pod Security: the level a namespace enforces, and the pod and container security contexts
// an app runs with under it. Customer namespaces always enforce "restricted"; a template
// that cannot run restricted (flagged "baseline") gets a namespace of its own.
// https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
import type { V1PodSecurityContext, V1SecurityContext } from '@kubernetes/client-node';
import type { ManifestService } from './inputs';

export type PodSecurityLevel = 'restricted' | 'baseline';

export function toPodSecurityLevel(level: string): PodSecurityLevel {
	if (level === 'restricted' || level === 'baseline') return level;
	throw new Error(`Unsupported Pod Security level ${JSON.stringify(level)} (restricted or baseline)`);
}

/** Whether the template runs under "restricted" (and so in the user's shared namespace). */
export function runsRestricted(service: Pick<ManifestService, 'podSecurityLevel'>): boolean {
	return toPodSecurityLevel(service.podSecurityLevel) === 'restricted';
}

export function podSecurityContext(service: ManifestService): V1PodSecurityContext {
	const seccompProfile = { type: 'RuntimeDefault' };
	const sysctls = service.sysctls.length > 0 ? { sysctls: service.sysctls.map(({ name, value }) => ({ name, value })) } : {};
	if (!runsRestricted(service)) {
		// Images that start as root (and drop to their own user in the entrypoint).
		return { seccompProfile, ...sysctls };
	}
	const uid = service.runAsUser ?? undefined;
	return {
		runAsNonRoot: true,
		// fsGroup makes the data volume writable for the app's group.
		...(uid !== undefined ? { runAsUser: uid, runAsGroup: uid, fsGroup: uid, fsGroupChangePolicy: 'OnRootMismatch' } : {}),
		seccompProfile,
		...sysctls
	};
}

export function containerSecurityContext(service: ManifestService): V1SecurityContext {
	const readOnly = service.readOnlyRootFilesystem ? { readOnlyRootFilesystem: true } : {};
	if (!runsRestricted(service)) {
		// Root entrypoints need their default capabilities (chown, setuid to drop privileges);
		// raw sockets are the one default capability apps never need.
		return { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['NET_RAW'] }, ...readOnly };
	}
	return {
		allowPrivilegeEscalation: false,
		privileged: false,
		runAsNonRoot: true,
		capabilities: { drop: ['ALL'] },
		seccompProfile: { type: 'RuntimeDefault' },
		...readOnly
	};
}
