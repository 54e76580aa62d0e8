// The value lists of MinisPod's enumerations, in one place: the database enums are built
// from them (db/schema/) and pages and schemas read them from here, so a status is never
// spelt out twice. Plain data, safe for the browser.

export const ROLES = ['ADMINISTRATOR', 'USER'] as const;

/** What a link mailed to an account is for (auth/account-tokens.ts). */
export const ACCOUNT_TOKEN_PURPOSES = ['PASSWORD_RESET', 'EMAIL_VERIFICATION', 'EMAIL_CHANGE'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];
/** The languages MinisPod speaks, Indonesian first (the default); messages/<locale>.json. */
export const LOCALES = ['id', 'en'] as const;

/** Plan tiers in upgrade order: a subscription may only move to a later one. */
export const PLAN_TYPES = ['FREE', 'BASIC', 'PRO', 'PREMIUM', 'ENTERPRISE'] as const;

export const SUBSCRIPTION_STATUSES = [
	'ACTIVE',
	'PAST_DUE',
	'SUSPENDED',
	'CANCELLED',
	'EXPIRED',
	'PENDING_UPGRADE',
	'PENDING_PAYMENT'
] as const;

export const WAITLIST_STATUSES = ['WAITING', 'NOTIFIED', 'FULFILLED', 'LAPSED', 'LEFT'] as const;

export const TRANSACTION_TYPES = ['TOP_UP', 'SUBSCRIPTION', 'UPGRADE', 'REFUND', 'ADMIN_ADJUSTMENT'] as const;

/** Who a receipt is made out to: a person or a company (billing profile). */
export const BILLING_PROFILE_KINDS = ['PERSONAL', 'COMPANY'] as const;
export type BillingProfileKind = (typeof BILLING_PROFILE_KINDS)[number];

/** The ledger entries that get a receipt (kwitansi): money in, and charges for apps. */
export const RECEIPT_TRANSACTION_TYPES = ['TOP_UP', 'SUBSCRIPTION', 'UPGRADE'] as const;

/** What a gateway may report of a top-up it had settled: money taken back, whole or in part. */
export const GATEWAY_REVERSALS = ['refund', 'partial_refund', 'chargeback', 'partial_chargeback'] as const;
export type GatewayReversal = (typeof GATEWAY_REVERSALS)[number];

export const TRANSACTION_STATUSES = ['PENDING', 'COMPLETED', 'FAILED', 'CANCELLED', 'REFUNDED'] as const;

export const PAYMENT_METHODS = [
	'MIDTRANS_BANK_TRANSFER',
	'MIDTRANS_E_WALLET',
	'MIDTRANS_CREDIT_CARD',
	'MIDTRANS_QRIS',
	'MANUAL_TRANSFER',
	'ADMIN_MANUAL',
	'CREDIT'
] as const;

/** How often a plan's apps are backed up (a plan field the catalog shows, not a feature string). */
export const BACKUP_SCHEDULES = ['NONE', 'DAILY', 'HOURLY'] as const;

/**
 * Where a custom domain stands: waiting for its DNS records, waiting for its certificate,
 * served, or given up (with the reason). Only a failed domain leaves its hostname free.
 */
export const CUSTOM_DOMAIN_STATUSES = ['PENDING_DNS', 'ISSUING_CERTIFICATE', 'ACTIVE', 'FAILED'] as const;

/** What took a backup: the plan's schedule, the owner, or MinisPod before an upgrade or a termination. */
export const BACKUP_KINDS = ['SCHEDULED', 'MANUAL', 'BEFORE_UPGRADE', 'BEFORE_TERMINATION'] as const;

/**
 * What the health check last saw of a running app (provisioning/health.ts): its pod ready,
 * not ready yet, failing, or its Deployment gone from the cluster.
 */
export const HEALTH_STATUSES = ['healthy', 'starting', 'failing', 'missing'] as const;

/** Where a setting of an app gets its value, as the catalog shows customers its settings. */
export const ENVIRONMENT_KINDS = ['generated secret', 'set by MinisPod', 'preset'] as const;
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];

/**
 * Where a backup stands: its snapshots being cut, all ready to restore from, failed (with
 * the reason), or deleted (retention, expiry) and kept as a record only.
 */
export const BACKUP_STATUSES = ['PENDING', 'READY', 'FAILED', 'DELETED'] as const;

/**
 * Where a restore from a backup stands: volumes being made from its snapshots and the app
 * switched to them, restored (the old volumes kept until the owner keeps or undoes it, or
 * 24 hours pass), being undone, undone, kept (the old volumes deleted), or failed (switched
 * back to the old volumes, with the reason).
 */
export const RESTORE_STATUSES = ['RESTORING', 'RESTORED', 'UNDOING', 'UNDONE', 'KEPT', 'FAILED'] as const;

/** The steps of a restore (and of its undo), each idempotent, recorded as it is reached. */
export const RESTORE_STEPS = ['stop', 'volumes', 'switch', 'cleanup', 'start', 'done'] as const;

export const INSTANCE_STATUSES = [
	'PENDING',
	'PROVISIONING',
	'RUNNING',
	'STOPPING',
	'STOPPED',
	'STARTING',
	'RESTARTING',
	'UPDATING',
	'ERROR',
	'SUSPENDED',
	'TERMINATING',
	'TERMINATED'
] as const;

export type Role = (typeof ROLES)[number];
export type Locale = (typeof LOCALES)[number];
export type PlanType = (typeof PLAN_TYPES)[number];
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type TransactionType = (typeof TRANSACTION_TYPES)[number];
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
export type BackupSchedule = (typeof BACKUP_SCHEDULES)[number];
export type CustomDomainStatus = (typeof CUSTOM_DOMAIN_STATUSES)[number];
export type BackupKind = (typeof BACKUP_KINDS)[number];
export type BackupStatus = (typeof BACKUP_STATUSES)[number];
export type RestoreStatus = (typeof RESTORE_STATUSES)[number];
export type RestoreStep = (typeof RESTORE_STEPS)[number];
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** Why a subscription is SUSPENDED: unpaid after its grace period, or by an administrator. */
export const SUSPENSION_REASONS = ['NON_PAYMENT', 'ADMINISTRATOR'] as const;

/** Where a queued e-mail stands: sent over SMTP, kept in the outbox (no SMTP_URL), or given up. */
export const MAIL_STATUSES = ['QUEUED', 'SENT', 'KEPT', 'FAILED'] as const;

/**
 * What the audit log records (audit/service.ts writes only these). Each is shown by its label,
 * the message `txt9a_audit_action_<code with _ for .>` (`auditActionLabel` in $lib/audit).
 */
export const AUDIT_ACTIONS = [
	'backup.restore',
	'backup.restore_undo',
	'backup.restore_keep',
	'backup.restore_terminated',
	'billing.advance_clock',
	'catalog.category.create',
	'catalog.category.update',
	'catalog.category.hide',
	'catalog.category.show',
	'catalog.category.reorder',
	'catalog.service.create',
	'catalog.service.update',
	'catalog.service.delete',
	'catalog.plan.create',
	'catalog.plan.update',
	'catalog.plan.hide',
	'catalog.plan.show',
	'instance.secrets.revealed',
	'instance.secrets.reveal_refused',
	'instance.secret.rotated',
	'job.retry',
	'plan.set_quota',
	'subscription.grant',
	'subscription.extend',
	'subscription.extend_grace',
	'subscription.waive_renewal',
	'subscription.suspend',
	'subscription.unsuspend',
	'subscription.terminate',
	'user.block',
	'user.unblock',
	'user.make_admin',
	'user.remove_admin',
	'wallet.adjustment.credit',
	'wallet.adjustment.debit',
	'wallet.flag.resolve',
	'wallet.proof.approve',
	'wallet.proof.reject'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Statuses in which a subscription holds one slot of its plan. While PENDING_UPGRADE it
 * also still holds its previous plan's slot, released once the cluster update succeeds.
 * PAST_DUE (renewal unpaid, in its grace period) keeps the slot: the app keeps running.
 * PENDING_PAYMENT is a live subscription whose period is unpaid (e.g. refunded after a
 * failed provisioning): it holds no slot until it is paid again.
 */
export const SLOT_HOLDING_STATUSES = ['ACTIVE', 'PENDING_UPGRADE', 'PAST_DUE'] as const satisfies readonly SubscriptionStatus[];
/** Statuses that end a subscription; anything else blocks a second one for the service. */
export const ENDED_SUBSCRIPTION_STATUSES = ['CANCELLED', 'EXPIRED'] as const satisfies readonly SubscriptionStatus[];

/** Instance statuses in which work is under way on the cluster (pages follow them live). */
export const INSTANCE_BUSY_STATUSES = [
	'PENDING',
	'PROVISIONING',
	'STOPPING',
	'STARTING',
	'RESTARTING',
	'UPDATING',
	'TERMINATING'
] as const satisfies readonly InstanceStatus[];

/** Instance statuses of an app being deleted, or gone: its controls no longer work, so pages do not offer them. */
export const INSTANCE_ENDING_STATUSES = ['TERMINATING', 'TERMINATED'] as const satisfies readonly InstanceStatus[];

/** Whether an app is being deleted or gone (INSTANCE_ENDING_STATUSES). */
export const isEndingInstance = (status: string) => (INSTANCE_ENDING_STATUSES as readonly string[]).includes(status);

/** Databases a template may run beside its app, in the app's namespace (see kube/companion.ts). */
export const COMPANION_ENGINES = ['postgresql', 'mariadb', 'redis'] as const;
export type CompanionEngine = (typeof COMPANION_ENGINES)[number];
/** What of its companion database an app's environment variable may carry. */
export const COMPANION_FIELDS = ['host', 'port', 'user', 'password', 'database', 'url'] as const;
export type CompanionField = (typeof COMPANION_FIELDS)[number];

/**
 * The sysctls a template may set: Kubernetes' safe set, namespaced per pod and enabled on
 * every kubelet (https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls),
 * which is exactly what Pod Security allows at baseline and so at restricted ("Sysctls" in
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline). The later
 * entries are safe from the Kubernetes version noted.
 */
export const SAFE_SYSCTLS = [
	'kernel.shm_rmid_forced',
	'net.ipv4.ip_local_port_range',
	'net.ipv4.ip_unprivileged_port_start',
	'net.ipv4.tcp_syncookies',
	'net.ipv4.ping_group_range',
	// 1.27
	'net.ipv4.ip_local_reserved_ports',
	// 1.29
	'net.ipv4.tcp_keepalive_time',
	'net.ipv4.tcp_fin_timeout',
	'net.ipv4.tcp_keepalive_intvl',
	'net.ipv4.tcp_keepalive_probes'
] as const;
export type SafeSysctl = (typeof SAFE_SYSCTLS)[number];
