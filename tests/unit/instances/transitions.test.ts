import { describe, expect, it } from 'vitest';
import { availableActions, checkAction } from '../../../src/lib/server/instances/transitions';

const active = { status: 'ACTIVE' as const };

describe('instance actions', () => {
	it('stop and restart a running app, start a stopped one', () => {
		expect(checkAction('stop', { status: 'RUNNING' }, active)).toEqual({ allowed: true, via: 'STOPPING' });
		expect(checkAction('restart', { status: 'RUNNING' }, active)).toEqual({ allowed: true, via: 'RESTARTING' });
		expect(checkAction('start', { status: 'STOPPED' }, active)).toEqual({ allowed: true, via: 'STARTING' });
	});

	it('refuse actions that make no sense now, saying why', () => {
		expect(checkAction('start', { status: 'RUNNING' }, active)).toEqual({
			allowed: false,
			reason: 'An app that is running cannot be started.'
		});
		expect(checkAction('stop', { status: 'STOPPED' }, active)).toMatchObject({ allowed: false });
		expect(checkAction('restart', { status: 'PROVISIONING' }, active)).toEqual({
			allowed: false,
			reason: 'The app is provisioning; wait until that has finished.'
		});
	});

	it('retry only failed or removed apps of a live subscription', () => {
		expect(checkAction('retry', { status: 'ERROR' }, active)).toEqual({ allowed: true, via: 'PENDING' });
		expect(checkAction('retry', { status: 'TERMINATED' }, { status: 'PENDING_PAYMENT' })).toEqual({
			allowed: true,
			via: 'PENDING'
		});
		expect(checkAction('retry', { status: 'RUNNING' }, active)).toMatchObject({ allowed: false });
		expect(checkAction('retry', { status: 'ERROR' }, { status: 'CANCELLED' })).toEqual({
			allowed: false,
			reason: 'The subscription of this app has ended.'
		});
	});

	it('are all refused while the subscription is suspended', () => {
		const all = availableActions({ status: 'SUSPENDED' }, { status: 'SUSPENDED' });
		expect(Object.values(all).every((a) => !a.allowed)).toBe(true);
	});

	it('other than retry are refused while the subscription is unpaid', () => {
		expect(checkAction('start', { status: 'STOPPED' }, { status: 'PENDING_PAYMENT' })).toMatchObject({ allowed: false });
	});
});
