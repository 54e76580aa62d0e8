// What a seeded app template and its plans look like, and the standard four tiers most
// apps are sold in (catalog.ts, catalog-more.ts).
import type { BackupSchedule } from '$lib/statuses';
import type { CompanionDatabase, EnvTemplateEntry, PlanType, PodSysctl } from '../db/schema';

export type SeedPlan = {
	planType: PlanType;
	name: string;
	description: string;
	monthlyPrice: number;
	cpuMilli: number;
	memoryMb: number;
	storageGb: number;
	bandwidthGb: number;
	totalQuota: number;
	features: string[];
	customDomainsAllowed: number;
	backupSchedule: BackupSchedule;
	backupRetention: number;
	isPopular?: boolean;
};

export type SeedService = {
	slug: string;
	name: string;
	category: string;
	description: string;
	longDescription: string;
	icon: string;
	version: string;
	dockerImage: string;
	defaultPort: number;
	healthCheckPath: string;
	dataMountPath: string;
	/** 'baseline' flags an image that cannot run restricted: it gets a namespace of its own. */
	podSecurityLevel: 'restricted' | 'baseline';
	runAsUser: number | null;
	readOnlyRootFilesystem: boolean;
	/** Where the app writes besides its data directory (an emptyDir each). */
	writablePaths: string[];
	/** Safe sysctls of the pod (kube/security.ts), e.g. so Apache binds port 80 as non-root. */
	sysctls: PodSysctl[];
	tags: string[];
	websiteUrl: string;
	isFeatured: boolean;
	envTemplate: EnvTemplateEntry[];
	/** A database provisioned beside the app (kube/companion.ts), wired in through `companion` env entries. */
	companionDatabase: CompanionDatabase | null;
	/** What the customer does after the first start, from the app's own documentation. */
	firstRunSteps: string[];
	plans: SeedPlan[];
};

/** Standard four tiers, scaled per app. */
export function tiers(options: {
	base: { cpuMilli: number; memoryMb: number; storageGb: number };
	prices: [number, number, number];
	quotas: [number, number, number, number];
	features: [string[], string[], string[], string[]];
}): SeedPlan[] {
	const { base, prices, quotas, features } = options;
	const scale = (factor: number) => ({
		cpuMilli: base.cpuMilli * factor,
		memoryMb: base.memoryMb * factor,
		storageGb: base.storageGb * factor
	});
	return [
		{
			planType: 'FREE',
			name: 'Free',
			description: 'Try it out at no cost.',
			monthlyPrice: 0,
			...scale(1),
			bandwidthGb: 10,
			totalQuota: quotas[0],
			features: features[0],
			customDomainsAllowed: 0,
			backupSchedule: 'NONE',
			backupRetention: 0
		},
		{
			planType: 'BASIC',
			name: 'Basic',
			description: 'For personal projects.',
			monthlyPrice: prices[0],
			...scale(2),
			bandwidthGb: 100,
			totalQuota: quotas[1],
			features: features[1],
			customDomainsAllowed: 0,
			backupSchedule: 'DAILY',
			backupRetention: 7
		},
		{
			planType: 'PRO',
			name: 'Pro',
			description: 'For small teams and businesses.',
			monthlyPrice: prices[1],
			...scale(4),
			bandwidthGb: 500,
			totalQuota: quotas[2],
			features: features[2],
			customDomainsAllowed: 1,
			backupSchedule: 'DAILY',
			backupRetention: 7,
			isPopular: true
		},
		{
			planType: 'PREMIUM',
			name: 'Premium',
			description: 'For heavy workloads.',
			monthlyPrice: prices[2],
			...scale(8),
			bandwidthGb: 2000,
			totalQuota: quotas[3],
			features: features[3],
			customDomainsAllowed: 3,
			backupSchedule: 'HOURLY',
			backupRetention: 48
		}
	];
}

// Custom domains and backups are plan fields (see tiers), shown by the catalog from them.
export const commonFeatures: [string[], string[], string[], string[]] = [
	['HTTPS subdomain', 'Community support'],
	['HTTPS subdomain', 'Email support'],
	['HTTPS subdomain', 'Priority support'],
	['HTTPS subdomain', 'Priority support', 'Dedicated resources']
];
