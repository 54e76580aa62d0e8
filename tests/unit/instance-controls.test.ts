import { describe, expect, it } from 'vitest';
import { blockedReasons, shownControls, type ActionState, type ControlAction } from '../../src/lib/instance-controls';

const allowed: ActionState = { allowed: true, reason: null };
const refused = (reason: string): ActionState => ({ allowed: false, reason });
const actions = (states: Partial<Record<ControlAction, ActionState>>) => ({
	start: refused('An app that is running cannot be started.'),
	stop: allowed,
	restart: allowed,
	retry: refused('Only a failed or removed app can be set up again.'),
	repair: refused('Only a failed app can be repaired.'),
	...states
});

describe('instance page controls', () => {
	it('shows start, stop and restart always, and retry and repair only when they apply', () => {
		expect(shownControls(actions({}))).toEqual(['start', 'stop', 'restart']);
		expect(shownControls(actions({ retry: allowed, repair: allowed }))).toEqual(['start', 'stop', 'restart', 'retry', 'repair']);
	});

	it('says nothing while a control can be used: each disabled one has its tooltip', () => {
		expect(blockedReasons(actions({}))).toEqual([]);
		const failed = actions({ stop: refused('x'), restart: refused('y'), retry: allowed });
		expect(blockedReasons(failed)).toEqual([]);
	});

	it('says once why no control can be used, without the reasons of controls not shown', () => {
		const busy = 'The app is starting; wait until that has finished.';
		expect(blockedReasons(actions({ start: refused(busy), stop: refused(busy), restart: refused(busy) }))).toEqual([busy]);
		const suspended = 'The subscription is suspended.';
		const stopped = actions({ start: refused(suspended), stop: refused('Not running.'), restart: refused(suspended) });
		expect(blockedReasons(stopped)).toEqual([suspended, 'Not running.']);
	});
});
