// Pod Security: the level a namespace enforces, and the pod and container security contexts
// an app runs with under it.
import type { V1PodSecurityContext, V1SecurityContext } from '@kubernetes/client-node';
import type { ManifestService } from './inputs';

export type PodSecurityLevel = 'restricted' | 'baseline';

export function toPodSecurityLevel(level: string): PodSecurityLevel {
	if (level === 'restricted' || level === 'baseline') return level;
	throw new Error(`Unsupported Pod Security level ${JSON.stringify(level)} (restricted or baseline)`);
}

/** The namespace enforces the least restrictive level any of the user's apps needs. */
export function namespaceSecurityLevel(levels: string[]): PodSecurityLevel {
	return levels.map(toPodSecurityLevel).includes('baseline') ? 'baseline' : 'restricted';
}

export function podSecurityContext(service: ManifestService): V1PodSecurityContext {
	const seccompProfile = { type: 'RuntimeDefault' };
	if (toPodSecurityLevel(service.podSecurityLevel) === 'baseline') {
		// Images that start as root (and drop to their own user in the entrypoint).
		return { seccompProfile };
	}
	const uid = service.runAsUser ?? undefined;
	return {
		runAsNonRoot: true,
		...(uid !== undefined ? { runAsUser: uid, runAsGroup: uid, fsGroup: uid, fsGroupChangePolicy: 'OnRootMismatch' } : {}),
		seccompProfile
	};
}

export function containerSecurityContext(service: ManifestService): V1SecurityContext {
	if (toPodSecurityLevel(service.podSecurityLevel) === 'baseline') {
		// Root entrypoints need their default capabilities (chown, setuid to drop privileges);
		// raw sockets are the one default capability apps never need.
		return { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['NET_RAW'] } };
	}
	return {
		allowPrivilegeEscalation: false,
		privileged: false,
		runAsNonRoot: true,
		capabilities: { drop: ['ALL'] },
		seccompProfile: { type: 'RuntimeDefault' }
	};
}
