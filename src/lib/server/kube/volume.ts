// The one shape of a volume MinisPod asks for: an app's data and a companion database's.
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { KubeSettings } from './inputs';
import { storageQuantity } from './quantity';

export function volumeClaim(
	metadata: { name: string; namespace: string; labels: Record<string, string> },
	storageGb: number,
	settings: Pick<KubeSettings, 'storageClass'>
): V1PersistentVolumeClaim {
	return {
		apiVersion: 'v1',
		kind: 'PersistentVolumeClaim',
		metadata,
		spec: {
			accessModes: ['ReadWriteOnce'],
			resources: { requests: { storage: storageQuantity(storageGb) } },
			...(settings.storageClass ? { storageClassName: settings.storageClass } : {})
		}
	};
}
