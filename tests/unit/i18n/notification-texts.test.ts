// Notifications store a message key and parameters and are read in the reader's language;
// rows and mails from before keep their stored English.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMail } from '../../../src/lib/server/mail/templates';
import { instanceReason } from '../../../src/lib/server/instances/reasons';
import { domainReason, renderDomainReason } from '../../../src/lib/server/domains/reasons';
import {
	NOTIFICATION_TEXT_KEYS,
	asDate,
	asDomainReason,
	asInstanceReason,
	asPeriod,
	asRupiah,
	notificationWords,
	renderText,
	type NotificationText
} from '../../../src/lib/server/notifications/texts';

const renewed: NotificationText = {
	key: 'renewed',
	params: {
		name: 'Travel blog',
		amount: asRupiah(59_000),
		period: asPeriod(new Date('2026-08-01T03:00:00Z'), new Date('2026-09-01T03:00:00Z')),
		balance: asRupiah(41_000)
	}
};

describe('notification texts', () => {
	it('render in Indonesian and in English, with rupiah and WIB dates formatted for the reader', () => {
		expect(renderText(renewed, 'id')).toEqual({
			title: 'Travel blog diperpanjang',
			body: 'Rp 59.000 telah dipotong dari saldo Anda untuk 1 Agu 2026 – 1 Sep 2026. Saldo Anda sekarang Rp 41.000.'
		});
		expect(renderText(renewed, 'en')).toEqual({
			title: 'Travel blog renewed',
			body: 'Rp 59.000 was charged from your credit for 1 Aug 2026 – 1 Sep 2026. Your balance is now Rp 41.000.'
		});
	});

	it("say a free plan's renewal costs nothing without calling a plan named Free 'free' again", () => {
		const text: NotificationText = {
			key: 'renewed_free',
			params: {
				name: 'Notes',
				plan: 'Free',
				period: asPeriod(new Date('2026-08-01T03:00:00Z'), new Date('2026-09-01T03:00:00Z'))
			}
		};
		expect(renderText(text, 'id')?.body).toBe('Paket Free Anda berlanjut tanpa biaya untuk 1 Agu 2026 – 1 Sep 2026.');
		expect(renderText(text, 'en')?.body).toBe('Your Free plan continues at no cost for 1 Aug 2026 – 1 Sep 2026.');
	});

	it('write a date as the WIB day, not as an ISO string', () => {
		// 20:00 UTC on the 31st is already 1 September in Jakarta.
		const text: NotificationText = { key: 'extended', params: { days: 7, end: asDate(new Date('2026-08-31T20:00:00Z')) } };
		expect(renderText(text, 'id')?.body).toBe('Administrator memperpanjang langganan Anda selama 7 hari, hingga 1 Sep 2026.');
		expect(renderText(text, 'en')?.body).toBe('An administrator extended your subscription by 7 days, until 1 Sep 2026.');
	});

	it('keep the stored words of a row written before texts existed', () => {
		const old = { title: 'Ghost renewed', body: 'Rp 50.000 was charged.', text: null };
		expect(notificationWords(old, 'id')).toEqual({ title: 'Ghost renewed', body: 'Rp 50.000 was charged.' });
	});

	it('keep the stored words when a text names a key this version does not know', () => {
		const unknown = { key: 'gone', params: {} } as unknown as NotificationText;
		expect(notificationWords({ title: 'Stored', body: 'Words', text: unknown }, 'id')).toEqual({
			title: 'Stored',
			body: 'Words'
		});
	});

	it('e-mail a notification in the language of its recipient', () => {
		const data = { ...renderText(renewed, 'en')!, text: renewed, link: '/subscriptions/abc' };
		const id = renderMail('notification', data, { origin: 'https://minispod.example', locale: 'id' });
		const en = renderMail('notification', data, { origin: 'https://minispod.example', locale: 'en' });
		expect(id.subject).toBe('Travel blog diperpanjang');
		expect(id.text).toContain('Saldo Anda sekarang Rp 41.000.');
		expect(en.subject).toBe('Travel blog renewed');
	});

	it('have a title and a body with the same parameters in both languages for every key', () => {
		const root = path.resolve(import.meta.dirname, '../../..');
		const load = (locale: string): Record<string, string> =>
			JSON.parse(readFileSync(path.join(root, 'messages', `${locale}.json`), 'utf8'));
		const [id, en] = [load('id'), load('en')];
		const missing = NOTIFICATION_TEXT_KEYS.flatMap((key) =>
			[`notif_${key}_title`, `notif_${key}_body`].filter((name) => !(name in id) || !(name in en))
		);
		expect(missing).toEqual([]);
		const unused = Object.keys(id)
			.filter((name) => name.startsWith('notif_'))
			.map((name) => name.replace(/^notif_|_(title|body)$/g, ''))
			.filter((key) => !(NOTIFICATION_TEXT_KEYS as string[]).includes(key));
		expect(unused).toEqual([]);
	});
});

describe('a failure told in a notification', () => {
	it('gives its reason in the reader’s language, and the stored English for a key this version does not know', () => {
		const failed: NotificationText = {
			key: 'instance_failed',
			params: {
				name: 'Blog',
				service: 'Ghost',
				plan: 'Basic',
				reason: asInstanceReason(
					instanceReason('image_pull_failed', { detail: 'manifest unknown' }),
					'Image pull failed: manifest unknown'
				)
			}
		};
		expect(renderText(failed, 'id')?.body).toContain('Gagal mengunduh image: manifest unknown');
		expect(renderText(failed, 'en')?.body).toContain('Image pull failed: manifest unknown');
		const future = {
			...failed,
			params: {
				...failed.params,
				reason: { why: { instance: { key: 'from_a_later_version', params: {} } }, english: 'As stored' }
			}
		};
		expect(renderText(future as unknown as NotificationText, 'id')?.body).toContain('As stored');
	});

	it('reads a domain’s failure in the reader’s language', () => {
		const why = domainReason('over_allowance', { allowed: 1 });
		const failed: NotificationText = {
			key: 'domain_failed',
			params: { hostname: 'blog.example.com', reason: asDomainReason(why, renderDomainReason(why, 'en')!) }
		};
		expect(renderDomainReason(why, 'id')).not.toBe(renderDomainReason(why, 'en'));
		expect(renderText(failed, 'id')?.body).toContain(renderDomainReason(why, 'id')!);
		expect(renderText(failed, 'en')?.body).toContain(renderDomainReason(why, 'en')!);
	});
});

describe('a restore whose switch back failed too', () => {
	it('does not say the app is back on its earlier data, and says what to do, in both languages', () => {
		const why = asInstanceReason(
			instanceReason('switch_back_failed', { cause: instanceReason('cluster_refused', { detail: 'nope' }) }),
			'x'
		);
		const text: NotificationText = { key: 'restore_switch_back_failed', params: { name: 'Toko', reason: why } };
		const [id, en] = [renderText(text, 'id'), renderText(text, 'en')];
		expect(en?.body).toMatch(/could not be put back on its earlier data.*Repair/);
		expect(en?.body).not.toContain('is back on the data');
		expect(id?.body).toMatch(/tidak dapat dikembalikan ke data sebelumnya.*Perbaiki/);
		expect(id?.body).toContain('Kubernetes menolak: nope');
	});
});
