// @ts-check
// Every environment variable MinisPod reads, parsed with zod in this one place; README.md
// documents each name listed here. Plain JavaScript (typed by JSDoc and checked by tsc) so
// that `scripts/start.js` reads the environment through the same parser before the app is
// built or loaded.
import path from 'node:path';
import { z } from 'zod';
import { MIN_TOP_UP } from '../money.js';

const flagText = z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).optional();

/** A yes/no variable; unset (or empty) is undefined. */
const optionalFlag = flagText.transform((value) =>
	value === undefined || value === '' ? undefined : ['true', '1', 'yes'].includes(value)
);

/** @param {boolean} fallback */
const flag = (fallback) => optionalFlag.transform((value) => value ?? fallback);

const optionalText = z
	.string()
	.optional()
	.transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const optionalUrl = optionalText.pipe(z.url().optional());

/** @param {number} fallback */
const positiveInt = (fallback) => z.coerce.number().int().positive().optional().default(fallback);

const envSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
	DATABASE_URL: optionalUrl,
	PORT: z.coerce.number().int().min(0).max(65535).optional().default(3000),
	HOST: z.string().optional().default('0.0.0.0'),
	ORIGIN: optionalUrl,
	MINISPOD_ROLE: z.enum(['web', 'worker', 'all']).optional().default('all'),
	MINISPOD_DATA_DIR: z.string().optional().default('.data'),
	/** Defaults to on only on embedded defaults (no DATABASE_URL) outside production; see parseConfig. */
	MINISPOD_DEMO: optionalFlag,
	ADMIN_EMAIL: optionalText.pipe(z.email().optional()),
	ADMIN_PASSWORD: optionalText.pipe(z.string().min(8).optional()),
	SESSION_DAYS: positiveInt(30),
	/** Seals generated app secrets at rest (32 bytes, base64 or hex); see resolveKeyring. */
	MINISPOD_SECRET_KEY: optionalText,
	/** The key before a rotation: still opens values sealed with it, which are re-sealed. */
	MINISPOD_SECRET_KEY_PREVIOUS: optionalText,
	/** Client addresses whose requests no address-keyed rate limit counts (comma-separated). */
	MINISPOD_RATE_LIMIT_EXEMPT: optionalText,

	MIDTRANS_SERVER_KEY: optionalText,
	MIDTRANS_CLIENT_KEY: optionalText,
	MIDTRANS_IS_PRODUCTION: flag(false),
	MIDTRANS_API_BASE_URL: optionalUrl,
	MIDTRANS_SNAP_BASE_URL: optionalUrl,
	MINISPOD_TOPUP_MAX: positiveInt(10_000_000),
	MINISPOD_BALANCE_MAX: positiveInt(100_000_000),
	MINISPOD_TOPUP_PENDING_MINUTES: positiveInt(30),
	MINISPOD_TOPUP_EXPIRE_HOURS: positiveInt(24),
	MINISPOD_PROOF_MAX_BYTES: positiveInt(5 * 1024 * 1024),
	/**
	 * The bank accounts a customer may transfer to by hand, then upload the proof:
	 * `bank|number|holder`, several separated by `;`. Unset: no manual transfers.
	 */
	MINISPOD_TRANSFER_ACCOUNTS: z
		.string()
		.optional()
		.default('')
		.transform((text, context) => {
			/** @type {{ bank: string; number: string; holder: string }[]} */
			const accounts = [];
			for (const entry of text
				.split(';')
				.map((part) => part.trim())
				.filter(Boolean)) {
				const [bank, number, holder, ...rest] = entry.split('|').map((part) => part.trim());
				if (!bank || !number || !holder || rest.length) {
					context.addIssue({ code: 'custom', message: `expected bank|number|holder, got ${JSON.stringify(entry)}` });
					return z.NEVER;
				}
				if (!/^\d[\d -]{3,38}\d$/.test(number)) {
					context.addIssue({ code: 'custom', message: `the account number ${JSON.stringify(number)} is not digits` });
					return z.NEVER;
				}
				if (bank.length > 60 || holder.length > 100) {
					context.addIssue({ code: 'custom', message: 'a bank name is at most 60 characters, a holder 100' });
					return z.NEVER;
				}
				accounts.push({ bank, number, holder });
			}
			return accounts;
		}),

	KUBECONFIG: optionalText,
	/** Set by Kubernetes in every pod: MinisPod then uses its service account. */
	KUBERNETES_SERVICE_HOST: optionalText,
	MINISPOD_BASE_DOMAIN: z.string().optional().default('apps.minispod.local'),
	MINISPOD_INGRESS_CLASS: z.string().optional().default('nginx'),
	MINISPOD_INGRESS_NAMESPACE: z.string().optional().default('ingress-nginx'),
	MINISPOD_CLUSTER_ISSUER: z.string().optional().default('letsencrypt-prod'),
	MINISPOD_STORAGE_CLASS: optionalText,
	/** VolumeSnapshotClass of backups; absent: the cluster's default class (its is-default-class annotation). */
	MINISPOD_SNAPSHOT_CLASS: optionalText,
	MINISPOD_CLUSTER_DNS_NAMESPACE: z.string().optional().default('kube-system'),
	MINISPOD_CLUSTER_DNS_LABELS: z
		.string()
		.optional()
		.default('k8s-app=kube-dns')
		.transform((text, context) => {
			/** @type {Record<string, string>} */
			const labels = {};
			for (const pair of text
				.split(',')
				.map((part) => part.trim())
				.filter(Boolean)) {
				const [key, value, ...rest] = pair.split('=');
				if (!key || value === undefined || rest.length) {
					context.addIssue({ code: 'custom', message: `expected key=value pairs, got ${JSON.stringify(pair)}` });
					return z.NEVER;
				}
				labels[key.trim()] = value.trim();
			}
			return labels;
		}),
	MINISPOD_PROVISION_TIMEOUT_SECONDS: positiveInt(300),
	MINISPOD_POD_FAILURE_GRACE_SECONDS: positiveInt(20),
	MINISPOD_EMULATOR_POD_READY_MS: positiveInt(1500),
	/** Where an apex custom domain's A record must point: the ingress controller's public address. */
	MINISPOD_INGRESS_IP: optionalText.pipe(z.union([z.ipv4(), z.ipv6()]).optional()),
	/** DNS servers that check custom domains (`host` or `host:port`, comma-separated); the system's when unset. */
	MINISPOD_DNS_SERVERS: z
		.string()
		.optional()
		.default('')
		.transform((text) =>
			text
				.split(',')
				.map((part) => part.trim())
				.filter(Boolean)
		),

	MINISPOD_GRACE_DAYS: positiveInt(7),
	MINISPOD_RENEWAL_NOTICE_DAYS: positiveInt(3),
	MINISPOD_SUSPENDED_RETENTION_DAYS: positiveInt(14),
	MINISPOD_TEST_CLOCK: flag(false),

	SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/, error: 'use smtp:// or smtps://' }).optional()),
	MAIL_FROM: z.string().optional().default('MinisPod <no-reply@minispod.local>'),
	/** Where customers write for help: every page's footer and every mail name it. None when unset. */
	MINISPOD_SUPPORT_EMAIL: optionalText.pipe(z.email({ error: 'an e-mail address, e.g. support@example.com' }).optional()),

	/** Set by `npm start` or printed by `npm run standins`: which services are stand-ins (for the banners). */
	MINISPOD_STANDINS: z
		.string()
		.optional()
		.default('')
		.pipe(z.string().regex(/^((cluster|payments)(,(cluster|payments))*)?$/, 'a comma-separated list of cluster, payments')),

	MINISPOD_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional().default(9464),
	MINISPOD_METRICS_HOST: z.string().optional().default('0.0.0.0'),
	/** adapter-node's name: seconds in-flight requests (and here also jobs) get after SIGTERM. */
	SHUTDOWN_TIMEOUT: positiveInt(30),
	/**
	 * adapter-node's name: seconds an idle keep-alive connection stays open. Longer than the
	 * proxy in front keeps one idle (ingress-nginx: 60 s), or the proxy's next request can meet
	 * the close (scripts/start.js).
	 */
	KEEP_ALIVE_TIMEOUT: positiveInt(65)
});

/**
 * The variables by name, as strings (what process.env holds).
 * @typedef {{ [K in keyof z.input<typeof envSchema>]?: string }} Env
 */

/** @param {Record<string, string | undefined>} [env] */
export function parseConfig(env = process.env) {
	const result = envSchema.safeParse(env);
	if (!result.success) {
		const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
		throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
	}
	const e = result.data;
	const isProduction = e.NODE_ENV === 'production';
	// Demo accounts print their passwords: never in production, by default only on a fresh
	// embedded database that a person started to look around.
	if (isProduction && e.MINISPOD_DEMO === true) {
		throw new Error('Invalid configuration:\n  MINISPOD_DEMO: demo accounts cannot be created with NODE_ENV=production');
	}
	// Without a key, one is kept in a file in the data directory; a production install with its
	// own database must be given the key, or its secrets would live beside a single replica.
	if (isProduction && e.DATABASE_URL && !e.MINISPOD_SECRET_KEY) {
		throw new Error(
			'Invalid configuration:\n  MINISPOD_SECRET_KEY: required with NODE_ENV=production and DATABASE_URL (generate one with `openssl rand -base64 32`)'
		);
	}
	const demo = e.MINISPOD_DEMO ?? (!isProduction && !e.DATABASE_URL);
	const dataDir = path.resolve(e.MINISPOD_DATA_DIR);
	const port = e.PORT;
	return {
		env: e.NODE_ENV,
		isProduction,
		// Tests are quiet unless asked otherwise.
		logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
		databaseUrl: e.DATABASE_URL,
		port,
		host: e.HOST,
		origin: (e.ORIGIN ?? `http://localhost:${port}`).replace(/\/$/, ''),
		role: e.MINISPOD_ROLE,
		/** Outside services replaced by the stand-ins process that `npm start` runs. */
		standIns: { cluster: e.MINISPOD_STANDINS.includes('cluster'), payments: e.MINISPOD_STANDINS.includes('payments') },
		metrics: { port: e.MINISPOD_METRICS_PORT, host: e.MINISPOD_METRICS_HOST },
		shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT,
		keepAliveTimeoutSeconds: e.KEEP_ALIVE_TIMEOUT,
		dataDir,
		uploadsDir: path.join(dataDir, 'uploads'),
		demo,
		admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
		sessionDays: e.SESSION_DAYS,
		secretKey: { current: e.MINISPOD_SECRET_KEY, previous: e.MINISPOD_SECRET_KEY_PREVIOUS },
		rateLimitExempt: (e.MINISPOD_RATE_LIMIT_EXEMPT ?? '')
			.split(',')
			.map((address) => address.trim())
			.filter(Boolean),
		midtrans: {
			serverKey: e.MIDTRANS_SERVER_KEY,
			clientKey: e.MIDTRANS_CLIENT_KEY,
			isProduction: e.MIDTRANS_IS_PRODUCTION,
			apiBaseUrl: e.MIDTRANS_API_BASE_URL,
			snapBaseUrl: e.MIDTRANS_SNAP_BASE_URL
		},
		wallet: {
			minTopUp: MIN_TOP_UP,
			maxTopUp: e.MINISPOD_TOPUP_MAX,
			maxBalance: e.MINISPOD_BALANCE_MAX,
			pendingRefreshMinutes: e.MINISPOD_TOPUP_PENDING_MINUTES,
			expireAfterHours: e.MINISPOD_TOPUP_EXPIRE_HOURS,
			proofMaxBytes: e.MINISPOD_PROOF_MAX_BYTES,
			// A demo shows the manual transfer with an account that is plainly not real.
			transferAccounts:
				e.MINISPOD_TRANSFER_ACCOUNTS.length > 0 || !demo
					? e.MINISPOD_TRANSFER_ACCOUNTS
					: [{ bank: 'Bank Demo', number: '0000 0000 00', holder: 'MinisPod Demo' }]
		},
		kube: {
			kubeconfig: e.KUBECONFIG,
			inCluster: Boolean(e.KUBERNETES_SERVICE_HOST),
			baseDomain: e.MINISPOD_BASE_DOMAIN,
			ingressClass: e.MINISPOD_INGRESS_CLASS,
			ingressNamespace: e.MINISPOD_INGRESS_NAMESPACE,
			clusterIssuer: e.MINISPOD_CLUSTER_ISSUER,
			storageClass: e.MINISPOD_STORAGE_CLASS,
			snapshotClass: e.MINISPOD_SNAPSHOT_CLASS,
			clusterDns: { namespace: e.MINISPOD_CLUSTER_DNS_NAMESPACE, labels: e.MINISPOD_CLUSTER_DNS_LABELS },
			provisionTimeoutSeconds: e.MINISPOD_PROVISION_TIMEOUT_SECONDS,
			podFailureGraceSeconds: e.MINISPOD_POD_FAILURE_GRACE_SECONDS,
			emulatorPodReadyMs: e.MINISPOD_EMULATOR_POD_READY_MS,
			ingressIp: e.MINISPOD_INGRESS_IP
		},
		/** Custom domains: the DNS servers their records are checked with (empty: the system's). */
		dns: { servers: e.MINISPOD_DNS_SERVERS },
		billing: {
			graceDays: e.MINISPOD_GRACE_DAYS,
			renewalNoticeDays: e.MINISPOD_RENEWAL_NOTICE_DAYS,
			suspendedRetentionDays: e.MINISPOD_SUSPENDED_RETENTION_DAYS,
			/** Whether an administrator may move the billing clock (also allowed with the payment simulator). */
			testClock: e.MINISPOD_TEST_CLOCK
		},
		mail: {
			/** Without it, mails are kept in the outbox table (the admin Outbox page shows them). */
			smtpUrl: e.SMTP_URL,
			from: e.MAIL_FROM
		},
		/** The address customers write to for help (the texts that say "contact support" point at it), or null. */
		supportEmail: e.MINISPOD_SUPPORT_EMAIL ?? null
	};
}

/** @typedef {ReturnType<typeof parseConfig>} Config */
