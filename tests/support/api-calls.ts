// Which Kubernetes API calls MinisPod makes, observed rather than listed: a recording proxy
// between the cluster client and the emulator turns each request into the RBAC triple the
// API server would authorize it as (API group, resource[/subresource], verb), following
// https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ApiCall = { group: string; resource: string; verb: string };

const key = (call: ApiCall) => `${call.group}|${call.resource}|${call.verb}`;

/** The RBAC view of one request; null for discovery and other non-resource URLs. */
export function toApiCall(method: string, url: string): ApiCall | null {
	const { pathname, searchParams } = new URL(url, 'http://cluster');
	const parts = pathname.split('/').filter(Boolean);
	let group: string;
	let rest: string[];
	if (parts[0] === 'api' && parts.length >= 3) [group, rest] = ['', parts.slice(2)];
	else if (parts[0] === 'apis' && parts.length >= 4) [group, rest] = [parts[1], parts.slice(3)];
	else return null;

	// namespaces/<ns>/<resource>/... is a namespaced resource; namespaces/<name>[/sub] the namespace itself.
	if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
	const [resource, name, subresource] = rest;
	const item = name !== undefined;
	const verbs: Record<string, string> = {
		GET: item ? 'get' : searchParams.get('watch') === 'true' ? 'watch' : 'list',
		POST: 'create',
		PUT: 'update',
		PATCH: 'patch',
		DELETE: item ? 'delete' : 'deletecollection'
	};
	return { group, resource: subresource ? `${resource}/${subresource}` : resource, verb: verbs[method] ?? method.toLowerCase() };
}

export type RecordingProxy = { url: string; calls(): ApiCall[]; close(): Promise<void> };

/** An HTTP proxy to `target` that records every API call passing through it. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
	const seen = new Map<string, ApiCall>();
	const upstream = new URL(target);
	const server = http.createServer((request, response) => {
		const call = toApiCall(request.method ?? 'GET', request.url ?? '/');
		if (call) seen.set(key(call), call);
		const forwarded = http.request(
			{ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			}
		);
		forwarded.on('error', () => response.destroy());
		response.on('close', () => forwarded.destroy());
		request.pipe(forwarded);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		calls: () => [...seen.values()].sort((a, b) => key(a).localeCompare(key(b))),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

type PolicyRule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[] };

/** Every (group, resource, verb) a ClusterRole's rules grant, one by one. */
export function grantedCalls(rules: PolicyRule[]): ApiCall[] {
	return rules.flatMap((rule) =>
		(rule.apiGroups ?? []).flatMap((group) =>
			(rule.resources ?? []).flatMap((resource) => rule.verbs.map((verb) => ({ group, resource, verb })))
		)
	);
}

export const describeCall = (call: ApiCall) => `${call.verb} ${call.group || 'core'}/${call.resource}`;
