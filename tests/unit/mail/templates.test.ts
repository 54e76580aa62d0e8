import { describe, expect, it } from 'vitest';
import { isMailKind, renderMail } from '../../../src/lib/server/mail/templates';

const context = { origin: 'https://minispod.example', locale: 'en' as const };

describe('mail templates', () => {
	it('render a notification as subject, plain text and simple HTML with an absolute link', () => {
		const mail = renderMail(
			'notification',
			{ title: 'Ghost renewed', body: 'Rp 50.000 was charged.', link: '/subscriptions/abc' },
			context
		);
		expect(mail.subject).toBe('Ghost renewed');
		expect(mail.text).toContain('Rp 50.000 was charged.');
		expect(mail.text).toContain('https://minispod.example/subscriptions/abc');
		expect(mail.html).toContain('<a href="https://minispod.example/subscriptions/abc"');
		expect(mail.text).toContain('https://minispod.example/account');
	});

	it('link the receipt PDF of the payment a mail is about', () => {
		const data = {
			title: 'Top-up received',
			body: 'Rp 50.000 was added.',
			link: '/wallet/transactions/t1',
			receiptLink: '/wallet/transactions/t1/receipt'
		};
		const mail = renderMail('notification', data, context);
		expect(mail.text).toContain('Receipt (PDF): https://minispod.example/wallet/transactions/t1/receipt');
		expect(mail.html).toContain('<a href="https://minispod.example/wallet/transactions/t1/receipt">Receipt (PDF)</a>');
		expect(renderMail('notification', data, { origin: context.origin }).text).toContain('Kwitansi (PDF): ');
		expect(renderMail('notification', { ...data, receiptLink: null }, context).text).not.toContain('/receipt');
	});

	it('name the support address under the footer when one is configured, in the recipient language', () => {
		const data = { title: 'Ghost renewed', body: 'Rp 50.000 was charged.' };
		expect(renderMail('notification', data, context).text).not.toContain('support@');
		const mail = renderMail('notification', data, { ...context, supportEmail: 'help@host.example' });
		expect(mail.text.endsWith('Questions? Write to help@host.example.')).toBe(true);
		expect(mail.html).toContain('Questions? Write to help@host.example.</p>');
		const indonesian = renderMail(
			'password-changed',
			{ name: 'Sari' },
			{
				origin: context.origin,
				supportEmail: 'help@host.example'
			}
		);
		expect(indonesian.text).toContain('Ada pertanyaan? Kirim e-mail ke help@host.example.');
	});

	it('escape what customers typed into HTML', () => {
		const mail = renderMail('notification', { title: '<b>x</b>', body: 'Tom & "Jerry" <script>' }, context);
		expect(mail.html).not.toContain('<script>');
		expect(mail.html).toContain('Tom &amp; &quot;Jerry&quot; &lt;script&gt;');
		expect(mail.subject).toBe('<b>x</b>');
	});

	it('say why an essential mail comes whatever the settings', () => {
		const mail = renderMail('notification', { title: 'Pay', body: 'Owed', essential: true }, context);
		expect(mail.text).toContain('whatever your mail settings');
		expect(mail.text).not.toContain('/account');
	});

	it("are written in the recipient's language, Indonesian by default", () => {
		const data = { title: 'Ghost diperpanjang', body: 'Rp 50.000 dipotong.', link: '/subscriptions/abc' };
		expect(renderMail('notification', data, { origin: context.origin }).text).toContain('Buka MinisPod');
		expect(renderMail('notification', data, { origin: context.origin, locale: 'id' }).text).toContain(
			'Anda dapat mematikan e-mail ini'
		);
		expect(renderMail('notification', data, context).text).toContain('Open MinisPod');
	});

	it('know their kinds', () => {
		expect(isMailKind('notification')).toBe(true);
		expect(isMailKind('nonsense')).toBe(false);
	});

	it('render account mails with their link and say why they came', () => {
		const reset = renderMail('password-reset', { name: 'Sari', link: '/reset-password?token=abc' }, context);
		expect(reset.subject).toBe('Reset your MinisPod password');
		expect(reset.text).toContain('https://minispod.example/reset-password?token=abc');
		expect(reset.text).toContain('one hour');
		const existing = renderMail('register-existing', { name: 'Sari' }, context);
		expect(existing.text).toMatch(/log in, or reset your password/);
		expect(existing.text).toContain('https://minispod.example/login');
		const changed = renderMail('email-changed', { name: 'Sari', newEmail: 'new@example.com' }, context);
		expect(changed.text).toContain('new@example.com');
		for (const mail of [reset, existing]) expect(mail.text).toContain('someone used this e-mail address');
		expect(changed.text).toContain('a security change to your account');
	});

	it('tell of a security change without suggesting it can be ignored or answered', () => {
		for (const locale of ['id', 'en'] as const) {
			const options = { origin: context.origin, locale };
			for (const mail of [
				renderMail('password-changed', { name: 'Sari' }, options),
				renderMail('email-changed', { name: 'Sari', newEmail: 'new@example.com' }, options)
			]) {
				expect(mail.text).toMatch(locale === 'id' ? /hubungi dukungan MinisPod/ : /contact MinisPod support/);
				expect(mail.text).not.toMatch(/abaikan|ignore|balas e-mail|reply to this/i);
			}
		}
		const changed = renderMail('password-changed', { name: 'Sari' }, context);
		expect(changed.subject).toBe('Your MinisPod password was changed');
		expect(changed.text).toContain('Reset your password: https://minispod.example/forgot-password');
	});

	it('write every account mail, subject included, in the recipient’s language', () => {
		const indonesian = { origin: context.origin, locale: 'id' as const };
		const link = '/verify-email?token=abc';
		const mails = {
			'verify-email': () => renderMail('verify-email', { name: 'Sari', link }, indonesian),
			'register-existing': () => renderMail('register-existing', { name: 'Sari' }, indonesian),
			'password-reset': () => renderMail('password-reset', { name: 'Sari', link }, indonesian),
			'email-change': () => renderMail('email-change', { name: 'Sari', newEmail: 'baru@example.com', link }, indonesian),
			'email-changed': () => renderMail('email-changed', { name: 'Sari', newEmail: 'baru@example.com' }, indonesian),
			'email-change-existing': () => renderMail('email-change-existing', { name: 'Sari' }, indonesian),
			'password-changed': () => renderMail('password-changed', { name: 'Sari' }, indonesian)
		};
		expect(mails['verify-email']().subject).toBe('Verifikasi alamat e-mail Anda');
		expect(mails['register-existing']().subject).toBe('Seseorang mencoba mendaftar dengan alamat Anda');
		expect(mails['password-reset']().subject).toBe('Atur ulang kata sandi MinisPod Anda');
		expect(mails['email-change']().subject).toBe('Konfirmasi alamat e-mail baru Anda');
		expect(mails['email-changed']().subject).toBe('Alamat e-mail MinisPod Anda telah diubah');
		expect(mails['password-reset']().text).toContain('selama satu jam');
		expect(mails['verify-email']().text).toContain('Verifikasi alamat e-mail: https://minispod.example/verify-email?token=abc');
		expect(mails['email-change']().html).toContain('menjadikan baru@example.com alamat e-mail');
		expect(mails['password-changed']().subject).toBe('Kata sandi MinisPod Anda diubah');
		expect(mails['email-change-existing']().subject).toBe('Seseorang mencoba memindahkan akun ke alamat Anda');
		const securityNotices = ['email-changed', 'password-changed'];
		for (const [kind, render] of Object.entries(mails)) {
			const mail = render();
			expect(mail.text, kind).toContain('Halo Sari');
			expect(mail.text, kind).toContain(
				securityNotices.includes(kind) ? 'perubahan keamanan pada akun Anda' : 'seseorang memakai alamat e-mail ini'
			);
			expect(mail.text, kind).not.toMatch(/\b(Hello|the|your)\b/);
		}
		// No language known (an address without an account yet): Indonesian, the default.
		expect(renderMail('verify-email', { name: 'Sari', link }, { origin: context.origin }).subject).toBe(
			'Verifikasi alamat e-mail Anda'
		);
		expect(renderMail('verify-email', { name: 'Sari', link }, context).subject).toBe('Verify your e-mail address');
	});
});
