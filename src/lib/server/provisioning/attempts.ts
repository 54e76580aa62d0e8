// How a job's failure is judged: what the customer reads, and whether the queue should
// run the job again.
import { ClusterError } from '../kube/errors';

export type Attempt = { final: boolean };

export const reasonOf = (error: unknown) =>
	error instanceof ClusterError ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;

/** Transient trouble worth another attempt of the whole job (the cluster client already retried). */
export const isTransient = (error: unknown) => !(error instanceof ClusterError) || error.retryable;
