// Why an app is in its status, stored as a message key and its parameters
// (service_instances.status_reason_text, instance_events.reason_text) so each reader gets it
// in their own language, like ledger rows (wallet/ledger-texts.ts). What the cluster said in
// its own words (a refusal such as "exceeded quota: ...", an image registry's answer) stays
// a parameter inside the translated sentence. The status_reason column keeps the English as
// well: rows written before reason texts existed show it as it is, and the log reads it.
import { formatNumber } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';

/** The operations whose failure puts an app in ERROR (instance actions and rollouts). */
export type FailedAction = 'start' | 'stop' | 'restart' | 'repair' | 'suspend' | 'resume';

type Detail = { detail: string };

/** Every reason, with the parameters its message takes. */
type Texts = {
	suspended_by_staff: { note: string };
	suspended_on_hold: Record<string, never>;
	repairing: Record<string, never>;
	restarting_new_secret: { name: string };
	missing: Record<string, never>;
	backup_before_upgrade: Record<string, never>;
	upgrade_failed: { cause: InstanceReason };
	upgrade_backup_failed: Detail;
	action_failed: { action: FailedAction; cause: InstanceReason };
	/** A control action the cluster did not take yet; its job tries again. */
	action_retrying: { action: FailedAction; cause: InstanceReason };
	/** A control action that failed before it changed anything: the app is as it was. */
	action_not_done: { action: FailedAction; cause: InstanceReason };
	cleanup_timeout: Record<string, never>;
	deployment_missing: Record<string, never>;
	// What the cluster reported, with its own words as the detail.
	image_pull_failed: Detail;
	crashing: { exitCode: string };
	out_of_memory: Record<string, never>;
	config_failed: Detail;
	container_start_failed: Detail;
	unschedulable: Detail;
	pod_failed: Detail;
	replica_refused: Detail;
	not_ready_in_time: Detail & { seconds: number | null };
	not_ready_because: { seconds: number | null; cause: InstanceReason };
	pod_waiting: { pod: string; reason: string };
	pod_not_ready: { pod: string };
	pod_pending: { pod: string };
	cluster_refused: Detail;
	object_deleting: { object: string };
	cluster_http_status: { status: number };
	cluster_unreachable: Detail;
	/** The API server answered 5xx or 429: trouble on its side, not a refusal. */
	cluster_error: { status: number; detail: string | null };
	unexpected: Detail;
	backup_unavailable: Detail;
	backup_snapshots_late: Record<string, never>;
	restoring: Record<string, never>;
	undoing: Record<string, never>;
	restore_stop: Record<string, never>;
	restore_volumes: Record<string, never>;
	restore_switch: Record<string, never>;
	restore_cleanup: Record<string, never>;
	restore_start: Record<string, never>;
	// Why a restore could not go on, in MinisPod's words (restores.error_text).
	restore_app_terminated: Record<string, never>;
	namespace_deleting: Record<string, never>;
	backup_gone: Record<string, never>;
	backup_snapshot_missing: Record<string, never>;
	snapshot_unusable: Detail & { claim: string };
	backup_unusable: { cause: InstanceReason };
	// Why a backup failed (backups.error_text).
	backup_no_volume: Record<string, never>;
	backup_snapshots_not_ready: Record<string, never>;
	backup_snapshot_gone: { claim: string };
	backup_snapshot_failed: Detail & { claim: string };
	upgrade_backup_failed_because: { cause: InstanceReason };
	restore_snapshot_gone: { claim: string };
	restore_failed: { cause: InstanceReason };
	switch_back_failed: { cause: InstanceReason };
	// What a new app's set-up step is doing (provisioning_steps[].text).
	step_waiting_for_cleanup: Record<string, never>;
	step_restoring_volumes: Record<string, never>;
	step_starting: Record<string, never>;
	step_ready: Record<string, never>;
	rollout_observing: Record<string, never>;
	rollout_creating: { created: number; desired: number };
	rollout_replacing: Record<string, never>;
	rollout_becoming_ready: { ready: number; desired: number };
};

export type InstanceReasonKey = keyof Texts;
export type InstanceReason = { [K in InstanceReasonKey]: { key: K; params: Texts[K] } }[InstanceReasonKey];

export const instanceReason = <K extends InstanceReasonKey>(key: K, params: Texts[K]) => ({ key, params }) as InstanceReason;

type Options = { locale: Locale };
type Message = (inputs: Record<string, never>, options: Options) => string;

const ACTIONS: Record<FailedAction, Message> = {
	start: m.txt5_action_start,
	stop: m.txt5_action_stop,
	restart: m.txt5_action_restart,
	repair: m.txt5_action_repair,
	suspend: m.txt5_action_suspend,
	resume: m.txt5_action_resume
};

const PLAIN: Partial<Record<InstanceReasonKey, Message>> = {
	suspended_on_hold: m.txt5_reason_suspended_on_hold,
	repairing: m.txt5_reason_repairing,
	missing: m.txt5_reason_missing,
	backup_before_upgrade: m.txt5_reason_backup_before_upgrade,
	cleanup_timeout: m.txt5_reason_cleanup_timeout,
	deployment_missing: m.txt5_reason_deployment_missing,
	out_of_memory: m.txt5_reason_out_of_memory,
	backup_snapshots_late: m.txt5_reason_backup_snapshots_late,
	restoring: m.rst2_reason_restoring,
	undoing: m.rst2_reason_undoing,
	restore_stop: m.txt5_reason_restore_stop,
	restore_volumes: m.txt5_reason_restore_volumes,
	restore_switch: m.txt5_reason_restore_switch,
	restore_cleanup: m.txt5_reason_restore_cleanup,
	restore_start: m.txt5_reason_restore_start,
	restore_app_terminated: m.txt6_restore_app_terminated,
	namespace_deleting: m.txt6_namespace_deleting,
	backup_gone: m.txt6_backup_gone,
	backup_snapshot_missing: m.txt6_backup_snapshot_missing,
	backup_no_volume: m.txt6_backup_no_volume,
	backup_snapshots_not_ready: m.txt6_backup_snapshots_not_ready,
	step_waiting_for_cleanup: m.txt6_step_waiting_for_cleanup,
	step_restoring_volumes: m.txt6_step_restoring_volumes,
	step_starting: m.txt6_step_starting,
	step_ready: m.txt6_step_ready,
	rollout_observing: m.txt6_rollout_observing,
	rollout_replacing: m.txt6_rollout_replacing
};

const WITH_DETAIL: Partial<Record<InstanceReasonKey, (inputs: Detail, options: Options) => string>> = {
	upgrade_backup_failed: m.txt5_reason_upgrade_backup_failed,
	image_pull_failed: m.txt5_reason_image_pull_failed,
	config_failed: m.txt5_reason_config_failed,
	container_start_failed: m.txt5_reason_container_start_failed,
	unschedulable: m.txt5_reason_unschedulable,
	pod_failed: m.txt5_reason_pod_failed,
	replica_refused: m.txt5_reason_replica_refused,
	cluster_refused: m.txt5_reason_cluster_refused,
	cluster_unreachable: m.txt5_reason_cluster_unreachable,
	unexpected: m.txt5_reason_unexpected,
	backup_unavailable: m.txt5_reason_backup_unavailable
};

/** "5 minutes" / "5 menit", "2 seconds" / "2 detik". */
function duration(seconds: number, options: Options): string {
	if (seconds === 60) return m.txt5_duration_one_minute({}, options);
	return seconds > 60 && seconds % 60 === 0
		? m.txt5_duration_minutes({ count: seconds / 60 }, options)
		: m.txt5_duration_seconds({ count: formatNumber(seconds, options.locale) }, options);
}

type Caused = { cause: InstanceReason };

/** What became of a control action, around the action and its cause. */
const ACTION_SENTENCES = {
	action_failed: m.txt5_reason_action_failed,
	action_retrying: m.txt19k_reason_action_retrying,
	action_not_done: m.txt19k_reason_action_not_done
};

/** Reasons that wrap another (the cause), by the sentence around it. */
const CAUSED: Partial<Record<InstanceReasonKey, (cause: string, options: Options) => string>> = {
	upgrade_failed: (cause, options) => m.txt5_reason_upgrade_failed({ cause }, options),
	restore_failed: (cause, options) => m.txt6_restore_failed({ cause }, options),
	switch_back_failed: (cause, options) => m.txt6_switch_back_failed({ cause }, options),
	backup_unusable: (detail, options) => m.txt5_reason_backup_unavailable({ detail }, options),
	upgrade_backup_failed_because: (detail, options) => m.txt5_reason_upgrade_backup_failed({ detail }, options)
};

/** "The app did not become ready within 5 minutes (detail)", or without the time when it is not known. */
const notReady = (seconds: number | null, detail: string, options: Options) =>
	seconds === null
		? m.txt5_reason_not_ready({ detail }, options)
		: m.txt5_reason_not_ready_within({ duration: duration(seconds, options), detail }, options);

/** The reason's sentence in a language; null for a key this version does not know. */
export function renderInstanceReason(reason: InstanceReason, locale: Locale): string | null {
	const options = { locale };
	switch (reason.key) {
		case 'suspended_by_staff':
			return m.txt5_reason_suspended_by_staff(reason.params, options);
		case 'restarting_new_secret':
			return m.txt5_reason_restarting_new_secret(reason.params, options);
		case 'action_failed':
		case 'action_retrying':
		case 'action_not_done': {
			const action = ACTIONS[reason.params.action]?.({}, options) ?? reason.params.action;
			const cause = renderInstanceReason(reason.params.cause, locale) ?? '';
			return ACTION_SENTENCES[reason.key]({ action, cause }, options);
		}
		case 'cluster_error': {
			const { status, detail } = reason.params;
			return detail === null
				? m.txt19k_reason_cluster_error_wordless({ status }, options)
				: m.txt19k_reason_cluster_error({ status, detail }, options);
		}
		case 'rollout_creating':
			return m.txt6_rollout_creating(reason.params, options);
		case 'rollout_becoming_ready':
			return m.txt6_rollout_becoming_ready(reason.params, options);
		case 'backup_snapshot_gone':
			return m.txt6_backup_snapshot_gone(reason.params, options);
		case 'backup_snapshot_failed':
			return m.txt6_backup_snapshot_failed(reason.params, options);
		case 'snapshot_unusable':
			return m.txt6_snapshot_unusable(reason.params, options);
		case 'restore_snapshot_gone':
			return m.txt6_restore_snapshot_gone(reason.params, options);
		case 'crashing':
			return m.txt5_reason_crashing(reason.params, options);
		case 'not_ready_because':
			return notReady(reason.params.seconds, renderInstanceReason(reason.params.cause, locale) ?? '', options);
		case 'cluster_http_status':
			return m.txt6_cluster_http_status(reason.params, options);
		case 'object_deleting':
			return m.txt7_object_deleting(reason.params, options);
		case 'pod_waiting':
			return m.txt6_pod_waiting(reason.params, options);
		case 'pod_not_ready':
			return m.txt6_pod_not_ready(reason.params, options);
		case 'pod_pending':
			return m.txt6_pod_pending(reason.params, options);
		case 'not_ready_in_time':
			return notReady(reason.params.seconds, reason.params.detail, options);
		default: {
			const plain = PLAIN[reason.key];
			if (plain) return plain({}, options);
			const caused = CAUSED[reason.key];
			if (caused) return caused(renderInstanceReason((reason.params as Caused).cause, locale) ?? '', options);
			const detailed = WITH_DETAIL[reason.key];
			return detailed ? detailed(reason.params as Detail, options) : null;
		}
	}
}

/** What a reader sees: the keyed sentence in their language, else the stored text as it is. */
export const instanceReasonFor = (text: InstanceReason | null, stored: string | null, locale: Locale): string | null =>
	(text && renderInstanceReason(text, locale)) ?? stored;

/**
 * The columns of an instance that state a reason: the key and parameters, and the English
 * sentence beside them (for the log, the operators' SQL, and older readers).
 */
export const statusReason = (reason: InstanceReason | null) => ({
	statusReason: reason && renderInstanceReason(reason, 'en'),
	statusReasonText: reason
});
