// cert-manager's ingress-shim, in miniature: an Ingress annotated with
// `cert-manager.io/cluster-issuer` (or `issuer`) that names a TLS secret gets that Secret,
// of type kubernetes.io/tls, once the certificate is issued. cert-manager does not make the
// Secret owned by the Ingress (unless run with --enable-certificate-owner-ref), so deleting
// the Ingress leaves the Secret behind: whoever removes an app must delete it too.
// https://cert-manager.io/docs/usage/ingress/
// https://cert-manager.io/docs/usage/certificate/#cleaning-up-secrets-when-certificates-are-deleted
import { randomBytes } from 'node:crypto';
import { ApiError } from './admission';
import type { AdmissionChain } from './policy';
import { resourceTypeForKind } from './resources';
import type { ObjectStore, StoreEvent, WireObject } from './store';

export type CertManagerOptions = {
	/** From an Ingress asking for a certificate to its Secret. */
	certificateIssueMs: number;
};

const INGRESS = resourceTypeForKind('Ingress');
const SECRET = resourceTypeForKind('Secret');
const ISSUER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

type Tls = { hosts?: string[]; secretName?: string };

const pem = (label: string) => `-----BEGIN ${label}-----\n${randomBytes(96).toString('base64')}\n-----END ${label}-----\n`;

export class CertManager {
	private readonly timers = new Set<NodeJS.Timeout>();
	private unsubscribe?: () => void;
	private stopped = false;

	constructor(
		private readonly store: ObjectStore,
		private readonly admission: AdmissionChain,
		private readonly options: CertManagerOptions
	) {}

	start() {
		this.unsubscribe = this.store.subscribe((event) => this.onEvent(event));
	}

	stop() {
		this.stopped = true;
		this.unsubscribe?.();
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	private onEvent(event: StoreEvent) {
		if (event.resourceType !== INGRESS || event.type === 'DELETED') return;
		const ingress = event.object;
		const annotations = ingress.metadata.annotations ?? {};
		const issuerAnnotation = ISSUER_ANNOTATIONS.find((key) => annotations[key]);
		if (!issuerAnnotation) return;
		for (const tls of ((ingress.spec as { tls?: Tls[] } | undefined)?.tls ?? []).filter((entry) => entry.secretName)) {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				if (!this.stopped) this.issue(ingress, tls, { key: issuerAnnotation, name: annotations[issuerAnnotation] });
			}, this.options.certificateIssueMs);
			this.timers.add(timer);
		}
	}

	private issue(ingress: WireObject, tls: Tls, issuer: { key: string; name: string }) {
		const namespace = ingress.metadata.namespace!;
		const name = tls.secretName!;
		// The Ingress may be gone already (or no longer ask for this Secret), or the Secret was
		// issued by an earlier event.
		const current = this.store.get(INGRESS, namespace, ingress.metadata.name);
		const stillAsked = ((current?.spec as { tls?: Tls[] } | undefined)?.tls ?? []).some((entry) => entry.secretName === name);
		if (!stillAsked || this.store.get(SECRET, namespace, name)) return;
		const hosts = tls.hosts ?? [];
		const secret: WireObject = {
			apiVersion: 'v1',
			kind: 'Secret',
			type: 'kubernetes.io/tls',
			metadata: {
				name,
				namespace,
				uid: randomBytes(16).toString('hex'),
				resourceVersion: '',
				creationTimestamp: new Date().toISOString(),
				labels: { 'controller.cert-manager.io/fao': 'true' },
				annotations: {
					'cert-manager.io/certificate-name': name,
					'cert-manager.io/common-name': hosts[0] ?? '',
					'cert-manager.io/alt-names': hosts.join(','),
					'cert-manager.io/issuer-name': issuer.name,
					'cert-manager.io/issuer-kind': issuer.key.endsWith('cluster-issuer') ? 'ClusterIssuer' : 'Issuer',
					'cert-manager.io/issuer-group': 'cert-manager.io'
				}
			},
			data: {
				'tls.crt': Buffer.from(pem('CERTIFICATE')).toString('base64'),
				'tls.key': Buffer.from(pem('PRIVATE KEY')).toString('base64')
			}
		};
		try {
			this.admission.create(SECRET, secret);
		} catch (error) {
			// A terminating namespace or a full quota: cert-manager retries later; here the app is going anyway.
			if (error instanceof ApiError) return;
			throw error;
		}
		this.store.write(SECRET, secret);
	}
}
