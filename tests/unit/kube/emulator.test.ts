// The emulator's pure parts: patch formats, selectors, quantities and template hashes.
import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../../src/lib/server/kube/quantity';
import { templateHash } from '../../../standins/kube-emulator/controller';
import {
	PatchError,
	applyJsonPatch,
	applyMergePatch,
	applyStrategicMergePatch,
	type Json
} from '../../../standins/kube-emulator/patch';
import {
	SelectorError,
	matchesFields,
	matchesLabels,
	parseFieldSelector,
	parseLabelSelector
} from '../../../standins/kube-emulator/selectors';

describe('JSON patch', () => {
	const document: Json = { metadata: { name: 'x', labels: { a: '1' } }, list: [1, 2, 3] };

	it('adds, replaces, removes, moves, copies and tests', () => {
		const result = applyJsonPatch(document, [
			{ op: 'add', path: '/metadata/labels/b', value: '2' },
			{ op: 'replace', path: '/metadata/name', value: 'y' },
			{ op: 'remove', path: '/list/0' },
			{ op: 'add', path: '/list/-', value: 4 },
			{ op: 'copy', from: '/metadata/name', path: '/metadata/alias' },
			{ op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/c' },
			{ op: 'test', path: '/list', value: [2, 3, 4] }
		]);
		expect(result).toEqual({ metadata: { name: 'y', alias: 'y', labels: { b: '2', c: '1' } }, list: [2, 3, 4] });
		expect(document).toEqual({ metadata: { name: 'x', labels: { a: '1' } }, list: [1, 2, 3] });
	});

	it('escapes ~ and / in paths and refuses bad operations', () => {
		const labelled = applyJsonPatch({ labels: {} }, [{ op: 'add', path: '/labels/app.kubernetes.io~1name', value: 'blog' }]);
		expect(labelled).toEqual({ labels: { 'app.kubernetes.io/name': 'blog' } });
		expect(() => applyJsonPatch(document, [{ op: 'remove', path: '/nope' }])).toThrow(PatchError);
		expect(() => applyJsonPatch(document, [{ op: 'test', path: '/metadata/name', value: 'z' }])).toThrow(PatchError);
		expect(() => applyJsonPatch(document, { op: 'add' })).toThrow(PatchError);
	});
});

describe('merge patch', () => {
	it('merges objects, deletes with null, replaces lists', () => {
		expect(applyMergePatch({ a: { b: 1, c: 2 }, list: [1, 2], keep: true }, { a: { b: 9, c: null }, list: [3] })).toEqual({
			a: { b: 9 },
			list: [3],
			keep: true
		});
	});
});

describe('strategic merge patch', () => {
	const deployment: Json = {
		spec: {
			replicas: 1,
			template: {
				metadata: { annotations: { keep: 'me' } },
				spec: {
					containers: [
						{ name: 'app', image: 'a:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80, name: 'http' }] },
						{ name: 'sidecar', image: 's:1' }
					],
					tolerations: [{ key: 'x' }]
				}
			}
		}
	};

	it('merges containers and env by name, keeping what the patch does not mention', () => {
		const result = applyStrategicMergePatch(deployment, {
			spec: {
				template: {
					metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } },
					spec: { containers: [{ name: 'app', image: 'a:2', env: [{ name: 'B', value: '2' }] }] }
				}
			}
		}) as { spec: { template: { metadata: unknown; spec: { containers: unknown[]; tolerations: unknown } } } };
		expect(result.spec.template.metadata).toEqual({ annotations: { keep: 'me', 'kubectl.kubernetes.io/restartedAt': 'now' } });
		expect(result.spec.template.spec.containers).toEqual([
			{
				name: 'app',
				image: 'a:2',
				env: [
					{ name: 'A', value: '1' },
					{ name: 'B', value: '2' }
				],
				ports: [{ containerPort: 80, name: 'http' }]
			},
			{ name: 'sidecar', image: 's:1' }
		]);
		expect(result.spec.template.spec.tolerations).toEqual([{ key: 'x' }]);
	});

	it('honours $patch delete and replace, and replaces lists without a merge key', () => {
		const removed = applyStrategicMergePatch(deployment, {
			spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], tolerations: [{ key: 'y' }] } } }
		}) as { spec: { template: { spec: { containers: { name: string }[]; tolerations: unknown } } } };
		expect(removed.spec.template.spec.containers.map((c) => c.name)).toEqual(['app']);
		expect(removed.spec.template.spec.tolerations).toEqual([{ key: 'y' }]);
		const replaced = applyStrategicMergePatch({ a: { x: 1, y: 2 } }, { a: { $patch: 'replace', z: 3 } });
		expect(replaced).toEqual({ a: { z: 3 } });
	});

	it('merges Service ports by port and container ports by containerPort', () => {
		expect(
			applyStrategicMergePatch(
				{ ports: [{ port: 80, name: 'http' }] },
				{ ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] }
			)
		).toEqual({
			ports: [{ port: 80, name: 'http', targetPort: 8080 }, { port: 443 }]
		});
	});
});

describe('label selectors', () => {
	const labels = { app: 'blog', tier: 'web', 'app.kubernetes.io/instance': 'blog-1' };

	it('parse and match equality, set-based and existence requirements', () => {
		const match = (selector: string) => matchesLabels(parseLabelSelector(selector), labels);
		expect(match('app=blog')).toBe(true);
		expect(match('app==blog,tier=web')).toBe(true);
		expect(match('app.kubernetes.io/instance=blog-1')).toBe(true);
		expect(match('app!=blog')).toBe(false);
		expect(match('app!=shop')).toBe(true);
		expect(match('tier in (web, api)')).toBe(true);
		expect(match('tier notin (web)')).toBe(false);
		expect(match('tier,app')).toBe(true);
		expect(match('!tier')).toBe(false);
		expect(match('!legacy')).toBe(true);
		expect(match('')).toBe(true);
	});

	it('refuse what is not a selector', () => {
		expect(() => parseLabelSelector('app in blog')).toThrow(SelectorError);
		expect(() => parseLabelSelector('a b c')).toThrow(SelectorError);
	});

	it('select fields by dotted path', () => {
		const event = { involvedObject: { name: 'pod-1', kind: 'Pod' }, type: 'Warning' };
		expect(matchesFields(parseFieldSelector('involvedObject.name=pod-1,type!=Normal'), event)).toBe(true);
		expect(matchesFields(parseFieldSelector('involvedObject.kind==Deployment'), event)).toBe(false);
		expect(() => parseFieldSelector('nonsense')).toThrow(SelectorError);
	});
});

describe('quantities and template hashes', () => {
	it('parse Kubernetes quantities', () => {
		expect(parseQuantity('500m')).toBe(0.5);
		expect(parseQuantity('2Gi')).toBe(2 * 2 ** 30);
		expect(parseQuantity('1G')).toBe(1e9);
		expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
		expect(parseQuantity('3')).toBe(3);
		expect(parseQuantity('lots')).toBeNaN();
	});

	it('hash a pod template the same whatever the key order, differently when it changes', () => {
		const a = { metadata: { labels: { x: '1', y: '2' } }, spec: { containers: [{ name: 'app', image: 'a:1' }] } };
		const reordered = { spec: { containers: [{ image: 'a:1', name: 'app' }] }, metadata: { labels: { y: '2', x: '1' } } };
		expect(templateHash(a)).toBe(templateHash(reordered));
		expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
		expect(templateHash({ ...a, metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } })).not.toBe(
			templateHash(a)
		);
	});
});
