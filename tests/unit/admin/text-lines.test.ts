// The catalog editor's lists, one a line: an Indonesian list replaces the English one as a
// whole, so the editor warns when the two have not as many lines.
import { describe, expect, it } from 'vitest';
import { lineCountsDiffer, textLines } from '../../../src/lib/components/admin/text-lines';

describe('textLines', () => {
	it('reads one line each, trimmed, without the empty ones', () => {
		expect(textLines('  Sign in \n\nInvite the team\n  ')).toEqual(['Sign in', 'Invite the team']);
		expect(textLines(null)).toEqual([]);
	});
});

describe('lineCountsDiffer', () => {
	it('tells the counts when a filled-in Indonesian list has not as many lines as the English one', () => {
		expect(lineCountsDiffer('Sign in\nInvite the team\nCreate a board', 'Masuk\nUndang tim')).toEqual({
			english: 3,
			indonesian: 2
		});
		expect(lineCountsDiffer('', 'Masuk')).toEqual({ english: 0, indonesian: 1 });
	});

	it('says nothing of an empty Indonesian list (the English one shows) or one as long', () => {
		expect(lineCountsDiffer('Sign in\nInvite the team', '')).toBeNull();
		expect(lineCountsDiffer('Sign in\nInvite the team', 'Masuk\n\nUndang tim\n')).toBeNull();
	});
});
