// What a service template becomes on the cluster, before it is saved: the objects of one
// sample instance for each plan, built by the same pure builder provisioning uses
// (kube/manifests.ts), validated against the Kubernetes schemas with `kubernetes-models`,
// and shown as YAML.
import { templateSecrets } from '../kube/companion';
import { stringify } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { badRequest } from '../errors';
import type { KubeSettings, ManifestPlan, ManifestService } from '../kube/inputs';
import { buildManifests, type KubeManifest } from '../kube/manifests';
import { toWire } from '../kube/wire';
import { m } from '$lib/paraglide/messages';
import { sayIn } from '../sentences';
import type { Locale } from '$lib/statuses';

const MODELS = {
	Namespace,
	ResourceQuota,
	LimitRange,
	NetworkPolicy,
	Secret,
	ConfigMap,
	PersistentVolumeClaim,
	Deployment,
	Service,
	Ingress
} as const;

export type PreviewPlan = ManifestPlan & { name: string };
export type PlanPreview = { planId: string | null; planName: string; yaml: string; problems: string[] };

/** A plan to preview a template with before it has plans of its own (named in the reader's language where shown: planId null). */
export const SAMPLE_PLAN: PreviewPlan = { id: 'sample-plan', name: 'Sample plan', cpuMilli: 250, memoryMb: 256, storageGb: 1 };

// A fixed sample instance: the objects read the same on every preview.
const SAMPLE_USER = '00000000-0000-4000-8000-000000000001';
const SAMPLE_INSTANCE = '00000000-0000-4000-8000-000000000002';

/** Shaped like a real instance's (subscriptions/subscribe.ts makeSubdomain): at most 40 characters and a suffix. */
const sampleSubdomain = (slug: string) => `${slug.slice(0, 40).replace(/-+$/, '')}-sample`;

/** Secrets are generated per instance; the preview names them instead of inventing values. */
function placeholderSecrets(service: ManifestService): Record<string, string> {
	return Object.fromEntries(
		templateSecrets(service).flatMap((entry) =>
			entry.secret ? [[entry.name, `<generated: ${entry.secret.length} ${entry.secret.encoding ?? 'alphanumeric'}>`]] : []
		)
	);
}

/** What the Kubernetes schema says is wrong with an object, one line per problem. */
export function schemaProblems(object: KubeManifest): string[] {
	const Model = MODELS[object.kind as keyof typeof MODELS];
	if (!Model) return [`${object.kind}: no schema to validate it against`];
	try {
		new Model(toWire(object) as never).validate();
		return [];
	} catch (error) {
		const issues = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
		if (!issues?.length) return [`${object.kind}: ${(error as Error).message}`];
		return issues.map((issue) => `${object.kind} ${object.metadata?.name ?? ''}${issue.instancePath ?? ''}: ${issue.message}`);
	}
}

export function previewPlan(service: ManifestService & { name: string }, plan: PreviewPlan, settings: KubeSettings): PlanPreview {
	const planId = plan.id === SAMPLE_PLAN.id ? null : plan.id;
	try {
		const manifests = buildManifests({
			service,
			plan,
			instance: {
				id: SAMPLE_INSTANCE,
				userId: SAMPLE_USER,
				name: `My ${service.name}`,
				subdomain: sampleSubdomain(service.slug)
			},
			settings,
			secrets: placeholderSecrets(service),
			namespaceApps: []
		});
		const problems = manifests.objects.flatMap(schemaProblems);
		const yaml = manifests.objects.map((object) => stringify(toWire(object), { lineWidth: 0 })).join('---\n');
		return { planId, planName: plan.name, yaml, problems };
	} catch (error) {
		// The builder refuses what it cannot express (a host that is not a DNS name, ...).
		return { planId, planName: plan.name, yaml: '', problems: [(error as Error).message] };
	}
}

/** The objects for every plan (or the sample plan when there are none yet). */
export function previewTemplate(
	service: ManifestService & { name: string },
	plans: PreviewPlan[],
	settings: KubeSettings
): PlanPreview[] {
	return (plans.length ? plans : [SAMPLE_PLAN]).map((plan) => previewPlan(service, plan, settings));
}

/** Refuses a change whose objects would not be valid, naming the first problem. */
export function assertValidPreviews(previews: PlanPreview[]) {
	const failing = previews.find((preview) => preview.problems.length > 0);
	if (failing) {
		// The sample plan is named in the reader's language, a real plan by its own name.
		const plan = (locale: Locale) => (failing.planId === null ? m.txt19a_sample_plan({}, { locale }) : failing.planName);
		const sentence = sayIn(m.srv2_manifests_invalid, (locale) => ({ plan: plan(locale), problem: failing.problems[0] }));
		throw badRequest('manifests', sentence, {
			problems: previews.flatMap((preview) => preview.problems.map((problem) => `${preview.planName}: ${problem}`))
		});
	}
}
