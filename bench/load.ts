// A small HTTP load generator for the request-path benchmark: a closed loop on a bounded
// number of keep-alive connections (throughput), and an open loop at a fixed rate (latency
// under a load the server should hold). Pure node:http, so it measures the same way against
// MinisPod and against the bare baseline.
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats';

/** `status`: the answer expected (any 2xx when absent); any other counts as an error. */
export type Target = {
	url: string;
	method?: 'GET' | 'POST';
	headers?: Record<string, string>;
	body?: () => string;
	status?: number;
};

const answered = (target: Target, status: number) => (target.status ? status === target.status : status >= 200 && status < 300);

export type RunResult = {
	requests: number;
	errors: number;
	seconds: number;
	rps: number;
	p50: number;
	p99: number;
	cpuMs: number;
};

function send(agent: http.Agent, target: Target): Promise<number> {
	return new Promise((resolve) => {
		const body = target.body?.();
		const request = http.request(
			target.url,
			{
				agent,
				method: target.method ?? 'GET',
				headers: {
					...target.headers,
					...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {})
				}
			},
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
				response.on('error', () => resolve(0));
			}
		);
		request.on('error', () => resolve(0));
		request.end(body);
	});
}

/** A process's stat fields after its parenthesised command name (state is 0, ppid 1, utime 11, stime 12). */
function statFields(pid: number | string): string[] {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** USER_HZ is 100 on Linux: clock ticks per millisecond. */
const TICKS_PER_MS = 100 / 1000;

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc). */
export function cpuMsOf(pid: number): number {
	const fields = statFields(pid);
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_MS;
}

/**
 * CPU time used so far by each process of the PostgreSQL of the app's data directory: its
 * postmaster and every process it started (backends, WAL writer, checkpointer, …), in
 * milliseconds by pid.
 */
function postgresCpuByPid(dataDir: string): Map<string, number> {
	const postmaster = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0];
	const byPid = new Map<string, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const fields = statFields(entry);
			if (entry === postmaster || fields[1] === postmaster)
				byPid.set(entry, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_MS);
		} catch {
			// The process ended meanwhile.
		}
	}
	return byPid;
}

/**
 * Starts counting the CPU that PostgreSQL uses; the function returned gives the milliseconds
 * used since. A backend that exits meanwhile takes its time with it (not counted; a sum of
 * totals would even go down, as the app's pool closes idle connections), so measure over runs
 * whose connections stay open; a backend started meanwhile counts in full.
 */
export function postgresCpu(dataDir: string): () => number {
	const before = postgresCpuByPid(dataDir);
	return () => {
		let used = 0;
		for (const [pid, ms] of postgresCpuByPid(dataDir)) used += ms - (before.get(pid) ?? 0);
		return used;
	};
}

/** Resident memory of a process in MB (VmRSS). */
export function rssMbOf(pid: number): number {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('VmRSS:'));
	return Math.round(Number(line?.match(/\d+/)?.[0] ?? 0) / 1024);
}

function result(latencies: number[], errors: number, started: number, cpuMs: number): RunResult {
	const seconds = (performance.now() - started) / 1000;
	const sorted = latencies.sort((a, b) => a - b);
	return {
		requests: latencies.length,
		errors,
		seconds,
		rps: latencies.length / seconds,
		p50: sorted.length ? percentile(sorted, 50) : NaN,
		p99: sorted.length ? percentile(sorted, 99) : NaN,
		cpuMs
	};
}

/** `connections` clients each sending the next request as soon as the last one answered. */
export async function closedLoop(target: Target, connections: number, durationMs: number, serverPid: number): Promise<RunResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
	const latencies: number[] = [];
	let errors = 0;
	const cpuBefore = cpuMsOf(serverPid);
	const started = performance.now();
	const until = started + durationMs;
	await Promise.all(
		Array.from({ length: connections }, async () => {
			while (performance.now() < until) {
				const sent = performance.now();
				const status = await send(agent, target);
				if (answered(target, status)) latencies.push(performance.now() - sent);
				else errors += 1;
			}
		})
	);
	const outcome = result(latencies, errors, started, cpuMsOf(serverPid) - cpuBefore);
	agent.destroy();
	return outcome;
}

/**
 * Requests started at a fixed rate whatever the answers (an open loop, so a slow server
 * is not given time off), on at most `connections` sockets; latency counts from the moment a
 * request was due, so queueing behind a full pool shows in p99.
 */
export async function fixedRate(target: Target, rate: number, durationMs: number, connections: number, serverPid: number) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
	const latencies: number[] = [];
	let errors = 0;
	const cpuBefore = cpuMsOf(serverPid);
	const started = performance.now();
	const total = Math.round((rate * durationMs) / 1000);
	const pending: Promise<void>[] = [];
	for (let index = 0; index < total; index++) {
		const due = started + (index * 1000) / rate;
		const wait = due - performance.now();
		if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
		pending.push(
			send(agent, target).then((status) => {
				if (answered(target, status)) latencies.push(performance.now() - due);
				else errors += 1;
			})
		);
	}
	await Promise.all(pending);
	const outcome = result(latencies, errors, started, cpuMsOf(serverPid) - cpuBefore);
	agent.destroy();
	return { ...outcome, offered: rate };
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
