import { describe, expect, it } from 'vitest';
import { availableActions, checkAction, retryCharge, type ActionCheck } from '../../../src/lib/server/instances/transitions';
import type { Locale } from '../../../src/lib/statuses';

const active = { status: 'ACTIVE' as const };
/** The check with its refusal written in one language. */
const written = (check: ActionCheck, locale: Locale = 'en') =>
	check.allowed ? check : { ...check, reason: check.reason(locale) };

describe('instance actions', () => {
	it('stop and restart a running app, start a stopped one', () => {
		expect(checkAction('stop', { status: 'RUNNING' }, active)).toEqual({ allowed: true, via: 'STOPPING' });
		expect(checkAction('restart', { status: 'RUNNING' }, active)).toEqual({ allowed: true, via: 'RESTARTING' });
		expect(checkAction('start', { status: 'STOPPED' }, active)).toEqual({ allowed: true, via: 'STARTING' });
	});

	it('refuse actions that make no sense now, saying why', () => {
		expect(written(checkAction('start', { status: 'RUNNING' }, active))).toEqual({
			allowed: false,
			reason: 'An app that is running cannot be started.'
		});
		expect(checkAction('stop', { status: 'STOPPED' }, active)).toMatchObject({ allowed: false });
		expect(written(checkAction('restart', { status: 'PROVISIONING' }, active))).toEqual({
			allowed: false,
			reason: 'The app is provisioning; wait until that has finished.'
		});
		expect(written(checkAction('start', { status: 'RUNNING' }, active), 'id')).toEqual({
			allowed: false,
			reason: 'Aplikasi berstatus berjalan tidak dapat dijalankan.'
		});
	});

	it('retry only failed or removed apps of a live subscription', () => {
		expect(checkAction('retry', { status: 'ERROR' }, active)).toEqual({ allowed: true, via: 'PENDING' });
		expect(checkAction('retry', { status: 'TERMINATED' }, { status: 'PENDING_PAYMENT' })).toEqual({
			allowed: true,
			via: 'PENDING'
		});
		expect(checkAction('retry', { status: 'RUNNING' }, active)).toMatchObject({ allowed: false });
		expect(written(checkAction('retry', { status: 'ERROR' }, { status: 'CANCELLED' }))).toEqual({
			allowed: false,
			reason: 'The subscription of this app has ended.'
		});
	});

	it('are all refused while the subscription is suspended', () => {
		const all = availableActions({ status: 'SUSPENDED' }, { status: 'SUSPENDED' });
		expect(Object.values(all).every((a) => !a.allowed)).toBe(true);
	});

	it('a retry charges a fresh month only after a refunded failure, and a grant nothing', () => {
		const plan = { monthlyPrice: 150_000 };
		expect(retryCharge({ status: 'PENDING_PAYMENT', isGrant: false }, plan)).toBe(150_000);
		expect(retryCharge({ status: 'PENDING_PAYMENT', isGrant: true }, plan)).toBe(0);
		expect(retryCharge({ status: 'ACTIVE', isGrant: false }, plan)).toBe(0);
		expect(retryCharge({ status: 'PAST_DUE', isGrant: false }, plan)).toBe(0);
	});

	it('other than retry are refused while the subscription is unpaid', () => {
		expect(checkAction('start', { status: 'STOPPED' }, { status: 'PENDING_PAYMENT' })).toMatchObject({ allowed: false });
	});
});
