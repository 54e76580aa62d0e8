// The names of an app's volume generations (its first, and those a restore makes) and the
// room a namespace's quota keeps for a second generation while a restore is open.
import { describe, expect, it } from 'vitest';
import { claimRole, instanceNames, volumeClaimNames } from '../../../src/lib/server/kube/names';
import { namespaceQuota } from '../../../src/lib/server/kube/namespace-objects';

const plan = { cpuMilli: 500, memoryMb: 512, storageGb: 4 };

describe('volume generations', () => {
	it('names the first generation as before and a restored one with its suffix', () => {
		expect(volumeClaimNames('blog')).toEqual({ app: 'blog-data', database: 'blog-db-data' });
		expect(volumeClaimNames('blog', 'r1a2b3c4d')).toEqual({ app: 'blog-data-r1a2b3c4d', database: 'blog-db-data-r1a2b3c4d' });
		const names = instanceNames({ userId: 'u1', subdomain: 'blog', volumeSuffix: 'r1a2b3c4d' });
		expect(names.persistentVolumeClaim).toBe('blog-data-r1a2b3c4d');
		expect(names.database.persistentVolumeClaim).toBe('blog-db-data-r1a2b3c4d');
	});

	it('tells an app’s claims from its database’s, whatever their generation', () => {
		expect(claimRole('blog', 'blog-data')).toBe('app');
		expect(claimRole('blog', 'blog-data-r1a2b3c4d')).toBe('app');
		expect(claimRole('blog', 'blog-db-data')).toBe('database');
		expect(claimRole('blog', 'blog-db-data-r1a2b3c4d')).toBe('database');
	});

	it('gives an app with a restore open room for two generations of volumes, and only that', () => {
		const settled = namespaceQuota([{ instanceId: 'a', plan, companion: 'postgresql' }]);
		const restoring = namespaceQuota([{ instanceId: 'a', plan, companion: 'postgresql', restoring: true }]);
		expect(Number(restoring.persistentvolumeclaims)).toBe(2 * Number(settled.persistentvolumeclaims));
		expect(parseInt(restoring['requests.storage'])).toBe(2 * parseInt(settled['requests.storage']));
		expect(restoring['requests.cpu']).toBe(settled['requests.cpu']);
		expect(restoring.pods).toBe(settled.pods);
	});
});
