// Pod Security admission: the namespace label `pod-security.kubernetes.io/enforce` picks
// a level (privileged, baseline or restricted) and pods that violate it are refused with
// the same kind of message the built-in PodSecurity admission gives, e.g.
//   pods "x" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation
//   != false (container "app" must set securityContext.allowPrivilegeEscalation=false), ...
// https://kubernetes.io/docs/concepts/security/pod-security-standards/
// https://kubernetes.io/docs/concepts/security/pod-security-admission/
// Pods created by a controller (a Deployment's ReplicaSet) are refused the same way; the
// refusal shows on the Deployment as a ReplicaFailure condition.
import { resourceTypeForKind } from './resources';
import { forbidden } from './quota';
import type { ObjectStore, WireObject } from './store';

type Dict = Record<string, unknown>;
const asDict = (value: unknown): Dict => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Dict) : {});
const asList = (value: unknown): Dict[] => (Array.isArray(value) ? (value as Dict[]) : []);

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

const NAMESPACE = resourceTypeForKind('Namespace');
const POD = resourceTypeForKind('Pod');

/** Capabilities baseline allows a container to add (the container runtime's defaults). */
const BASELINE_CAPABILITIES = new Set([
	'AUDIT_WRITE',
	'CHOWN',
	'DAC_OVERRIDE',
	'FOWNER',
	'FSETID',
	'KILL',
	'MKNOD',
	'NET_BIND_SERVICE',
	'SETFCAP',
	'SETGID',
	'SETPCAP',
	'SETUID',
	'SYS_CHROOT'
]);

/**
 * Sysctls baseline (and so restricted) allows: the safe set, per pod's network or IPC
 * namespace. https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 * ("Sysctls", as of the latest policy version; the last five since 1.27 and 1.29) and
 * https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls.
 * Any other is refused as "forbidden sysctls (<names>)" (pod-security-admission's check_sysctls.go).
 */
const BASELINE_SYSCTLS = new Set([
	'kernel.shm_rmid_forced',
	'net.ipv4.ip_local_port_range',
	'net.ipv4.ip_unprivileged_port_start',
	'net.ipv4.tcp_syncookies',
	'net.ipv4.ping_group_range',
	'net.ipv4.ip_local_reserved_ports',
	'net.ipv4.tcp_keepalive_time',
	'net.ipv4.tcp_fin_timeout',
	'net.ipv4.tcp_keepalive_intvl',
	'net.ipv4.tcp_keepalive_probes'
]);

/** Volume types restricted allows. */
const RESTRICTED_VOLUMES = [
	'configMap',
	'csi',
	'downwardAPI',
	'emptyDir',
	'ephemeral',
	'persistentVolumeClaim',
	'projected',
	'secret'
];

type Container = { name: string; securityContext: Dict };

const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');
const containersPhrase = (names: string[]) => `container${names.length > 1 ? 's' : ''} ${quoted(names)}`;

/** The level a namespace enforces and the version named in messages. */
export function enforcedLevel(store: ObjectStore, namespace: string): { level: PodSecurityLevel; version: string } {
	const labels = (store.get(NAMESPACE, undefined, namespace)?.metadata.labels ?? {}) as Record<string, string>;
	const level = labels['pod-security.kubernetes.io/enforce'];
	return {
		level: level === 'baseline' || level === 'restricted' ? level : 'privileged',
		version: labels['pod-security.kubernetes.io/enforce-version'] || 'latest'
	};
}

function baselineViolations(spec: Dict, containers: Container[]): string[] {
	const found: string[] = [];
	const hostNamespaces = ['hostNetwork', 'hostPID', 'hostIPC'].filter((field) => spec[field] === true);
	if (hostNamespaces.length) found.push(`host namespaces (${hostNamespaces.map((field) => `${field}=true`).join(', ')})`);
	const privileged = containers.filter((c) => c.securityContext.privileged === true).map((c) => c.name);
	if (privileged.length) found.push(`privileged (${containersPhrase(privileged)} must not set securityContext.privileged=true)`);
	const added = containers.flatMap(
		(c) =>
			(asDict(c.securityContext.capabilities).add as string[] | undefined)?.filter((cap) => !BASELINE_CAPABILITIES.has(cap)) ?? []
	);
	if (added.length)
		found.push(`non-default capabilities (must not include ${quoted([...new Set(added)])} in securityContext.capabilities.add)`);
	const hostPaths = asList(spec.volumes).filter((volume) => volume.hostPath);
	if (hostPaths.length) found.push(`hostPath volumes (${hostPaths.map((v) => `volume "${v.name}"`).join(', ')})`);
	const forbiddenSysctls = asList(asDict(spec.securityContext).sysctls)
		.map((sysctl) => String(sysctl.name ?? ''))
		.filter((name) => !BASELINE_SYSCTLS.has(name));
	if (forbiddenSysctls.length) found.push(`forbidden sysctls (${forbiddenSysctls.join(', ')})`);
	const unconfined = [
		asDict(asDict(spec.securityContext).seccompProfile),
		...containers.map((c) => asDict(c.securityContext.seccompProfile))
	];
	if (unconfined.some((profile) => profile.type === 'Unconfined')) {
		found.push('seccompProfile (pod or containers must not set securityContext.seccompProfile.type to "Unconfined")');
	}
	return found;
}

function restrictedViolations(spec: Dict, containers: Container[]): string[] {
	const found: string[] = [];
	const pod = asDict(spec.securityContext);
	const others = asList(spec.volumes).filter((volume) => !RESTRICTED_VOLUMES.some((allowed) => allowed in volume));
	if (others.length) found.push(`restricted volume types (${others.map((v) => `volume "${v.name}"`).join(', ')})`);
	const escalating = containers.filter((c) => c.securityContext.allowPrivilegeEscalation !== false).map((c) => c.name);
	if (escalating.length) {
		found.push(
			`allowPrivilegeEscalation != false (${containersPhrase(escalating)} must set securityContext.allowPrivilegeEscalation=false)`
		);
	}
	const undropped = containers
		.filter((c) => !((asDict(c.securityContext.capabilities).drop as string[] | undefined) ?? []).includes('ALL'))
		.map((c) => c.name);
	if (undropped.length) {
		found.push(`unrestricted capabilities (${containersPhrase(undropped)} must set securityContext.capabilities.drop=["ALL"])`);
	}
	const adding = containers.flatMap((c) =>
		((asDict(c.securityContext.capabilities).add as string[] | undefined) ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE')
	);
	if (adding.length)
		found.push(
			`unrestricted capabilities (must not include ${quoted([...new Set(adding)])} in securityContext.capabilities.add)`
		);
	const root = containers.filter((c) => (c.securityContext.runAsNonRoot ?? pod.runAsNonRoot) !== true).map((c) => c.name);
	if (root.length) {
		found.push(`runAsNonRoot != true (pod or ${containersPhrase(root)} must set securityContext.runAsNonRoot=true)`);
	}
	const uidZero = [pod.runAsUser, ...containers.map((c) => c.securityContext.runAsUser)].some((uid) => uid === 0);
	if (uidZero) found.push('runAsUser=0 (pod and containers must not set runAsUser=0)');
	const podProfile = asDict(pod.seccompProfile).type;
	const unprofiled = containers
		.filter((c) => {
			const type = asDict(c.securityContext.seccompProfile).type ?? podProfile;
			return type !== 'RuntimeDefault' && type !== 'Localhost';
		})
		.map((c) => c.name);
	if (unprofiled.length) {
		found.push(
			`seccompProfile (pod or ${containersPhrase(unprofiled)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`
		);
	}
	return found;
}

/** What a pod spec violates at a level (nothing at privileged). */
export function podSecurityViolations(podSpec: Dict, level: PodSecurityLevel): string[] {
	if (level === 'privileged') return [];
	const containers: Container[] = [...asList(podSpec.initContainers), ...asList(podSpec.containers)].map((container) => ({
		name: String(container.name ?? ''),
		securityContext: asDict(container.securityContext)
	}));
	const baseline = baselineViolations(podSpec, containers);
	return level === 'baseline' ? baseline : [...baseline, ...restrictedViolations(podSpec, containers)];
}

/** Refuses a pod its namespace's enforced level does not allow (403, PodSecurity's words). */
export function enforcePodSecurity(store: ObjectStore, pod: WireObject) {
	const { level, version } = enforcedLevel(store, pod.metadata.namespace!);
	const violations = podSecurityViolations(asDict(pod.spec), level);
	if (violations.length === 0) return;
	throw forbidden(POD, pod.metadata.name, `violates PodSecurity "${level}:${version}": ${violations.join(', ')}`);
}
