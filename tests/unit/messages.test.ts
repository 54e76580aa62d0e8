// Every text exists in both languages with the same parameters, and every message the code
// calls exists (svelte-check also refuses an unknown `m.key`; this catches it in `npm test`).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as statuses from '../../src/lib/statuses';
import { REPORT_QUERIES } from '../../src/lib/server/admin/analytics/reports';
import { DISPLAY_STATUSES } from '../../src/lib/server/wallet/views';

const root = path.resolve(import.meta.dirname, '../..');
const load = (locale: string): Record<string, string> => {
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(path.join(root, 'messages', `${locale}.json`), 'utf8'));
	return messages;
};
const id = load('id');
const en = load('en');
const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const full = path.join(dir, entry);
		if (full.endsWith(`${path.sep}paraglide`)) return [];
		if (statSync(full).isDirectory()) return sourceFiles(full);
		return /\.(ts|js|svelte)$/.test(entry) ? [full] : [];
	});
}

describe('messages', () => {
	it('has every key in both languages', () => {
		expect(Object.keys(en).filter((key) => !(key in id))).toEqual([]);
		expect(Object.keys(id).filter((key) => !(key in en))).toEqual([]);
	});

	it('writes each key once per file (JSON.parse would keep the last silently; a merge can leave two)', () => {
		for (const locale of ['id', 'en']) {
			const text = readFileSync(path.join(root, 'messages', `${locale}.json`), 'utf8');
			const keys = [...text.matchAll(/^\t"([^"]+)":/gm)].map((match) => match[1]);
			expect(
				keys.filter((key, index) => keys.indexOf(key) !== index),
				locale
			).toEqual([]);
			expect(keys.length, locale).toBe(Object.keys(JSON.parse(text)).length);
		}
	});

	it('has no empty text', () => {
		expect(Object.entries({ ...id, ...en }).filter(([, text]) => !text.trim())).toEqual([]);
	});

	it('uses the same parameters in both languages', () => {
		const differing = Object.keys(id).filter((key) => key in en && params(id[key]).join() !== params(en[key]).join());
		expect(differing).toEqual([]);
	});

	it('has every message the code calls', () => {
		const missing = sourceFiles(path.join(root, 'src')).flatMap((file) =>
			[...readFileSync(file, 'utf8').matchAll(/\bm\.(\w+)\(/g)]
				.map((match) => match[1])
				.filter((key) => !(key in id))
				.map((key) => `${path.relative(root, file)}: ${key}`)
		);
		expect(missing).toEqual([]);
	});

	it('has no sentence written into a page or component instead of a message', () => {
		// What a template shows outside its tags and {expressions}: two words of letters there is
		// a text in one language only. (Texts in attributes and scripts are not looked at.)
		const written = (source: string) => {
			let text = '';
			let depth = 0;
			for (const char of source.replace(/<(script|style)[\s\S]*?<\/\1>|<!--[\s\S]*?-->/g, ' ')) {
				if (char === '{') depth++;
				else if (char === '}') depth = Math.max(0, depth - 1);
				else if (depth === 0) text += char;
			}
			return text
				.split(/<[^>]*>/)
				.map((part) => part.trim())
				.filter((part) => /[A-Za-z]+\s+[A-Za-z]+/.test(part));
		};
		const found = sourceFiles(path.join(root, 'src'))
			.filter((file) => file.endsWith('.svelte'))
			.flatMap((file) => written(readFileSync(file, 'utf8')).map((text) => `${path.relative(root, file)}: ${text}`));
		expect(found).toEqual([]);
	});

	it('writes a word one way in each language', () => {
		// KBBI's "klaster", and the English UI's "e-mail" (as in "E-mail address").
		expect(Object.entries(id).filter(([, text]) => /kluster/i.test(text))).toEqual([]);
		expect(Object.entries(en).filter(([, text]) => /(^|[^-{\w])email\b/i.test(text))).toEqual([]);
	});

	it('reports what was done, not an instruction, after logging other sessions out', () => {
		for (const key of ['account_logged_out_one_other', 'account_logged_out_others']) {
			expect(id[key]).not.toMatch(/^Keluar dari/);
			expect(id[key]).toMatch(/sesi lain telah dikeluarkan\.$/);
		}
	});

	it('has a label for every status, transaction type and payment method', () => {
		const codes = [
			...statuses.SUBSCRIPTION_STATUSES,
			...statuses.WAITLIST_STATUSES,
			...statuses.TRANSACTION_STATUSES,
			...DISPLAY_STATUSES,
			...statuses.INSTANCE_STATUSES,
			...statuses.MAIL_STATUSES,
			...statuses.CUSTOM_DOMAIN_STATUSES,
			...statuses.BACKUP_STATUSES,
			...statuses.RESTORE_STATUSES
		].map((status) => `status_${status.toLowerCase()}`);
		codes.push(...statuses.TRANSACTION_TYPES.map((type) => `transaction_type_${type.toLowerCase()}`));
		codes.push(...statuses.PAYMENT_METHODS.map((method) => `payment_method_${method.toLowerCase()}`));
		codes.push(...statuses.HEALTH_STATUSES.map((health) => `health_${health}`));
		codes.push(...statuses.PLAN_TYPES.map((type) => `plan_type_${type.toLowerCase()}`));
		codes.push(...statuses.BACKUP_SCHEDULES.map((schedule) => `backup_schedule_${schedule.toLowerCase()}`));
		expect(codes.filter((key) => !(key in id))).toEqual([]);
	});

	it('has a label for every action the audit log records', () => {
		const codes = statuses.AUDIT_ACTIONS.map((action) => `txt9a_audit_action_${action.replaceAll('.', '_')}`);
		expect(codes.filter((key) => !(key in id))).toEqual([]);
	});

	it('has a header for every column of the analytics reports', () => {
		const columns = Object.values(REPORT_QUERIES).flatMap((report) => report.columns);
		const codes = [...new Set(columns)].map((column) => `txt9c_report_column_${column}`);
		expect(codes.filter((key) => !(key in id))).toEqual([]);
	});
});
