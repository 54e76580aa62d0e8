// What the manifests are built from: the parts of a service template, plan and instance
// they read, and the cluster settings from configuration.
import type { Config } from '../config';
import type { Service, ServiceInstance, ServicePlan } from '../db/schema';
import type { CompanionEngine } from '$lib/statuses';

/** What of a service template the manifests use. */
export type ManifestService = Pick<
	Service,
	| 'slug'
	| 'version'
	| 'dockerImage'
	| 'defaultPort'
	| 'healthCheckPath'
	| 'dataMountPath'
	| 'podSecurityLevel'
	| 'runAsUser'
	| 'readOnlyRootFilesystem'
	| 'writablePaths'
	| 'sysctls'
	| 'envTemplate'
	| 'companionDatabase'
>;

/** What of a plan the manifests use. */
export type ManifestPlan = Pick<ServicePlan, 'id' | 'cpuMilli' | 'memoryMb' | 'storageGb'>;

/** What of an instance the manifests use. */
export type ManifestInstance = Pick<ServiceInstance, 'id' | 'userId' | 'name' | 'subdomain'> &
	Partial<Pick<ServiceInstance, 'volumeSuffix'>>;

/** Cluster settings from configuration (`config.kube`). */
export type KubeSettings = Pick<
	Config['kube'],
	'baseDomain' | 'ingressClass' | 'ingressNamespace' | 'clusterIssuer' | 'storageClass' | 'clusterDns'
>;

/** One app in a namespace, as the namespace's quota and limits are sized for it. */
export type NamespaceApp = {
	instanceId: string;
	plan: Pick<ServicePlan, 'cpuMilli' | 'memoryMb' | 'storageGb'>;
	/** The engine of the app's companion database, sized from the same plan (kube/companion.ts). */
	companion?: CompanionEngine | null;
	/**
	 * A restore of the app is open: the volumes it ran on are kept beside those restored
	 * from the backup (until the restore is kept or undone), so it holds two of each.
	 */
	restoring?: boolean;
};
