// One error type: each code maps to the tRPC code and HTTP status tRPC answers with, a
// domain error naming a field is reported like a failed input check, and the browser has a
// sentence for every code.
import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ERROR_CODES, AppError, insufficientCredit, badRequest } from '../../../src/lib/server/errors';
import { bannerMessage, errorInfo, fieldAmong, formRefusal } from '../../../src/lib/errors';
import { TRPCClientError } from '@trpc/client';
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import { overwriteServerAsyncLocalStorage } from '../../../src/lib/paraglide/runtime';
import { rupiahSchema } from '../../../src/lib/server/validation';
import type { Locale } from '../../../src/lib/statuses';
import { m } from '../../../src/lib/paraglide/messages';
import { say } from '../../../src/lib/server/sentences';

// What paraglide's middleware does around every request (src/lib/server/i18n.ts withLocale).
const requests = new AsyncLocalStorage<{ locale?: Locale }>();
overwriteServerAsyncLocalStorage(requests as never);
const inRequest = <T>(locale: Locale, run: () => T) => requests.run({ locale }, run);

describe('AppError', () => {
	it('maps every code to the HTTP status tRPC answers with', () => {
		for (const code of Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]) {
			const error = new AppError(code, say(m.srv_forbidden));
			expect(getHTTPStatusCodeFromError(error.toTRPCError()), code).toBe(ERROR_CODES[code].status);
			expect(error.httpStatus).toBe(ERROR_CODES[code].status);
		}
	});

	it('keeps the field apart from the sentence and names it first for API callers', () => {
		const error = badRequest('amount', say(m.srv_topup_max, { amount: 'Rp 10.000.000' }));
		expect(error.field).toBe('amount');
		expect(error.userMessage).toBe('The largest top-up is Rp 10.000.000.');
		const trpc = error.toTRPCError();
		expect(trpc).toBeInstanceOf(TRPCError);
		expect(trpc.message).toBe('amount: The largest top-up is Rp 10.000.000.');
	});

	it('builds one sentence for a shortfall, with a top-up link of at least the minimum', () => {
		const small = insufficientCredit({ shortfall: 2_500, balance: 7_500, required: 10_000 });
		expect(small.userMessage).toBe('Not enough credit: top up at least Rp 2.500 more.');
		expect(small.details).toMatchObject({ shortfall: 2_500, topUpUrl: '/wallet?amount=10000' });
		expect(insufficientCredit({ shortfall: 25_000, balance: 0, required: 25_000 }).details.topUpUrl).toBe('/wallet?amount=25000');
	});

	it("writes its sentence in the request's language, English outside a request and in the log", () => {
		const error = insufficientCredit({ shortfall: 2_500, balance: 7_500, required: 10_000 });
		expect(error.messageLocale).toBe('en');
		inRequest('id', () => {
			expect(error.userMessage).toBe('Saldo tidak cukup: isi ulang paling sedikit Rp 2.500 lagi.');
			expect(error.messageLocale).toBe('id');
			expect(error.toTRPCError().message).toBe('Saldo tidak cukup: isi ulang paling sedikit Rp 2.500 lagi.');
		});
		inRequest('en', () => expect(error.userMessage).toBe('Not enough credit: top up at least Rp 2.500 more.'));
		expect(error.message).toBe('Not enough credit: top up at least Rp 2.500 more.');
	});

	it("checks input with sentences in the request's language, zod's own included", () => {
		const first = (result: { error?: z.ZodError }) => result.error!.issues[0].message;
		inRequest('id', () => {
			expect(first(rupiahSchema.safeParse('12'))).toBe('Masukkan jumlah dalam rupiah');
			expect(first(rupiahSchema.safeParse(1.5))).toBe('Gunakan rupiah bulat');
			expect(first(z.object({ name: z.string() }).safeParse({}))).toMatch(/^Input tidak valid/);
		});
		inRequest('en', () => expect(first(rupiahSchema.safeParse(1.5))).toBe('Use whole rupiah'));
		expect(first(rupiahSchema.safeParse(1.5))).toBe('Use whole rupiah');
	});

	it('takes no English-only sentence: a refusal is a message in both languages', () => {
		// @ts-expect-error a plain string is English only, so it does not type-check (npm run check fails)
		expect(() => badRequest('amount', 'Too much.')).toThrow(TypeError);
	});

	it('logs its own message when one is given, and tells the person the other', () => {
		const error = new AppError('PAYMENT_GATEWAY_ERROR', say(m.srv2_gateway_unavailable), { logMessage: 'Snap answered 503' });
		expect(error.message).toBe('Snap answered 503');
		expect(error.toTRPCError().message).toBe('The payment gateway is not answering right now; please try again in a moment.');
	});
});

describe('errorInfo (browser)', () => {
	it('has a sentence for every domain code, including INVALID_STATE', () => {
		for (const code of Object.keys(ERROR_CODES)) {
			const error = new TRPCClientError('', { result: { error: { data: { appCode: code } } } as never });
			Object.assign(error, { data: { appCode: code } });
			const info = errorInfo(error);
			expect(info.code).toBe(code);
			expect(info.message.length, code).toBeGreaterThan(10);
		}
	});

	it('never shows the text of an internal error', () => {
		const error = new TRPCClientError('relation "users" does not exist');
		Object.assign(error, { data: { code: 'INTERNAL_SERVER_ERROR' } });
		// Outside a request the page's language is the default, Indonesian.
		expect(errorInfo(error).message).toBe('Terjadi kesalahan di pihak kami. Silakan coba lagi.');
	});

	it('quotes the request id of an internal error, so support can find it', () => {
		const error = new TRPCClientError('relation "users" does not exist');
		Object.assign(error, { data: { code: 'INTERNAL_SERVER_ERROR', requestId: '0123456789abcdef' } });
		expect(errorInfo(error).message).toBe('Terjadi kesalahan di pihak kami. Silakan coba lagi. (Referensi: 0123456789abcdef)');
	});

	it("shows the server's sentence when it is in the page's language, else the code's", () => {
		const english = new TRPCClientError('This subscription is not active.');
		Object.assign(english, { data: { code: 'CONFLICT', appCode: 'INVALID_STATE', messageLocale: 'en' } });
		expect(errorInfo(english).message).toBe('Itu tidak bisa dilakukan sekarang; muat ulang halaman dan coba lagi.');
		const indonesian = new TRPCClientError('Langganan ini tidak aktif.');
		Object.assign(indonesian, { data: { code: 'CONFLICT', appCode: 'INVALID_STATE', messageLocale: 'id' } });
		expect(errorInfo(indonesian).message).toBe('Langganan ini tidak aktif.');
	});

	it('never shows a field name to people, and tells a field problem once, beside the field', () => {
		const error = new TRPCClientError('amount: must be a multiple of Rp 1.000');
		Object.assign(error, {
			data: { code: 'BAD_REQUEST', fieldErrors: { amount: ['Must be a multiple of Rp 1.000'] }, messageLocale: 'id' }
		});
		const info = errorInfo(error);
		expect(info.message).toBe('Must be a multiple of Rp 1.000');
		expect(info.field).toBe('amount');
		expect(bannerMessage(info, ['amount', 'method'])).toBeNull();
		expect(bannerMessage(info, ['name'])).toBe('Must be a multiple of Rp 1.000');

		const domain = new TRPCClientError('totalQuota: Cannot be below the 1 slot in use.');
		Object.assign(domain, { data: { code: 'BAD_REQUEST', appCode: 'BAD_REQUEST', field: 'totalQuota', messageLocale: 'id' } });
		expect(errorInfo(domain).message).toBe('Cannot be below the 1 slot in use.');
		expect(bannerMessage(null, [])).toBeNull();
	});

	it('tells on a form each field problem beside its field and every other one in the banner, never none', () => {
		const refused = (fieldErrors: Record<string, string[]>) => {
			const error = new TRPCClientError('plan.description: Use at most 300 characters');
			Object.assign(error, { data: { code: 'BAD_REQUEST', fieldErrors, messageLocale: 'id' } });
			return errorInfo(error);
		};
		const shows = fieldAmong(['name', 'description', 'features']);
		const tooLong = refused({ 'plan.description': ['Use at most 300 characters'], 'plan.features.2': ['Too long'] });
		expect(formRefusal(tooLong, shows, 'plan.')).toEqual({
			errors: { description: 'Use at most 300 characters', 'features.2': 'Too long' },
			banner: null
		});

		const hidden = refused({ 'plan.name': ['Enter a name'], 'plan.sortOrder': ['Too big'], 'plan.isActive': ['Too big'] });
		expect(formRefusal(hidden, shows, 'plan.')).toEqual({
			errors: { name: 'Enter a name', sortOrder: 'Too big', isActive: 'Too big' },
			banner: 'Too big'
		});

		const conflict = new TRPCClientError('Taken');
		Object.assign(conflict, { data: { code: 'CONFLICT', messageLocale: 'id' } });
		expect(formRefusal(errorInfo(conflict), shows)).toEqual({ errors: {}, banner: 'Taken' });
	});
});
