// The kinds MinisPod manages, each as the same four calls (create, read, replace, delete)
// on client-node's typed APIs, so applying and deleting are written once for all of them.
import type { AppsV1Api, CoreV1Api, KubernetesObject, NetworkingV1Api, V1Namespace } from '@kubernetes/client-node';
import { ClusterError } from './errors';
import type { KubeManifest } from './manifests';

export type ManagedKind = NonNullable<KubeManifest['kind']> | 'Pod';

export type KindOperations = {
	create(namespace: string | undefined, body: KubernetesObject): Promise<KubernetesObject>;
	read(namespace: string | undefined, name: string): Promise<KubernetesObject>;
	replace(namespace: string | undefined, name: string, body: KubernetesObject): Promise<KubernetesObject>;
	remove(namespace: string | undefined, name: string): Promise<unknown>;
};

const ns = (namespace: string | undefined) => {
	if (!namespace) throw new ClusterError('A namespace is required for this kind', { reason: 'BadRequest', status: 400 });
	return namespace;
};

function namespaced<T extends KubernetesObject>(operations: {
	create: (p: { namespace: string; body: T }) => Promise<T>;
	read: (p: { namespace: string; name: string }) => Promise<T>;
	replace: (p: { namespace: string; name: string; body: T }) => Promise<T>;
	remove: (p: { namespace: string; name: string; propagationPolicy: string }) => Promise<unknown>;
}): KindOperations {
	return {
		create: (namespace, body) => operations.create({ namespace: ns(namespace), body: body as T }),
		read: (namespace, name) => operations.read({ namespace: ns(namespace), name }),
		replace: (namespace, name, body) => operations.replace({ namespace: ns(namespace), name, body: body as T }),
		remove: (namespace, name) => operations.remove({ namespace: ns(namespace), name, propagationPolicy: 'Background' })
	};
}

/** The four calls for every managed kind; deletes cascade in the background, as kubectl's do. */
export function kindOperations(
	core: CoreV1Api,
	apps: AppsV1Api,
	networking: NetworkingV1Api
): Record<ManagedKind, KindOperations> {
	return {
		Namespace: {
			create: (_namespace, body) => core.createNamespace({ body: body as V1Namespace }),
			read: (_namespace, name) => core.readNamespace({ name }),
			replace: (_namespace, name, body) => core.replaceNamespace({ name, body: body as V1Namespace }),
			remove: (_namespace, name) => core.deleteNamespace({ name, propagationPolicy: 'Background' })
		},
		ResourceQuota: namespaced({
			create: (p) => core.createNamespacedResourceQuota(p),
			read: (p) => core.readNamespacedResourceQuota(p),
			replace: (p) => core.replaceNamespacedResourceQuota(p),
			remove: (p) => core.deleteNamespacedResourceQuota(p)
		}),
		LimitRange: namespaced({
			create: (p) => core.createNamespacedLimitRange(p),
			read: (p) => core.readNamespacedLimitRange(p),
			replace: (p) => core.replaceNamespacedLimitRange(p),
			remove: (p) => core.deleteNamespacedLimitRange(p)
		}),
		NetworkPolicy: namespaced({
			create: (p) => networking.createNamespacedNetworkPolicy(p),
			read: (p) => networking.readNamespacedNetworkPolicy(p),
			replace: (p) => networking.replaceNamespacedNetworkPolicy(p),
			remove: (p) => networking.deleteNamespacedNetworkPolicy(p)
		}),
		Secret: namespaced({
			create: (p) => core.createNamespacedSecret(p),
			read: (p) => core.readNamespacedSecret(p),
			replace: (p) => core.replaceNamespacedSecret(p),
			remove: (p) => core.deleteNamespacedSecret(p)
		}),
		ConfigMap: namespaced({
			create: (p) => core.createNamespacedConfigMap(p),
			read: (p) => core.readNamespacedConfigMap(p),
			replace: (p) => core.replaceNamespacedConfigMap(p),
			remove: (p) => core.deleteNamespacedConfigMap(p)
		}),
		PersistentVolumeClaim: namespaced({
			create: (p) => core.createNamespacedPersistentVolumeClaim(p),
			read: (p) => core.readNamespacedPersistentVolumeClaim(p),
			replace: (p) => core.replaceNamespacedPersistentVolumeClaim(p),
			remove: (p) => core.deleteNamespacedPersistentVolumeClaim(p)
		}),
		Deployment: namespaced({
			create: (p) => apps.createNamespacedDeployment(p),
			read: (p) => apps.readNamespacedDeployment(p),
			replace: (p) => apps.replaceNamespacedDeployment(p),
			remove: (p) => apps.deleteNamespacedDeployment(p)
		}),
		Service: namespaced({
			create: (p) => core.createNamespacedService(p),
			read: (p) => core.readNamespacedService(p),
			replace: (p) => core.replaceNamespacedService(p),
			remove: (p) => core.deleteNamespacedService(p)
		}),
		Ingress: namespaced({
			create: (p) => networking.createNamespacedIngress(p),
			read: (p) => networking.readNamespacedIngress(p),
			replace: (p) => networking.replaceNamespacedIngress(p),
			remove: (p) => networking.deleteNamespacedIngress(p)
		}),
		Pod: namespaced({
			create: (p) => core.createNamespacedPod(p),
			read: (p) => core.readNamespacedPod(p),
			replace: (p) => core.replaceNamespacedPod(p),
			remove: (p) => core.deleteNamespacedPod(p)
		})
	};
}
