// Which control buttons the instance page shows, and why none can be used when that is so.
// Pure, so the page and its test read the same rule.

export type ControlAction = 'start' | 'stop' | 'restart' | 'retry' | 'repair';
export type ActionState = { allowed: boolean; reason: string | null };

const CONTROLS: readonly ControlAction[] = ['start', 'stop', 'restart', 'retry', 'repair'];
/** Shown only when they apply; the others are always shown (disabled, with the reason). */
const ONLY_WHEN_ALLOWED: readonly ControlAction[] = ['retry', 'repair'];

export function shownControls(actions: Record<ControlAction, ActionState>): ControlAction[] {
	return CONTROLS.filter((action) => !ONLY_WHEN_ALLOWED.includes(action) || actions[action].allowed);
}

export const isOptionalControl = (action: ControlAction) => ONLY_WHEN_ALLOWED.includes(action);

/**
 * Why no control can be used now (the app is busy, suspended, unpaid, its subscription ended),
 * each reason once; nothing while one of them can. A disabled button's tooltip says it too, but
 * a phone shows no tooltip.
 */
export function blockedReasons(actions: Record<ControlAction, ActionState>): string[] {
	const shown = shownControls(actions);
	if (shown.some((action) => actions[action].allowed)) return [];
	return [...new Set(shown.flatMap((action) => (actions[action].reason ? [actions[action].reason] : [])))];
}
