// What each kind of e-mail says: one template per kind, producing a subject, plain text and
// simple HTML. Pure, so every mail reads (and is tested) without sending anything. A new
// kind (account verification, password reset, ...) is one more entry in MailTemplates and
// in `templates` below; the type makes both sides agree. Texts are messages, written in the
// recipient's language (MailContext.locale).
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';
import { notificationWords, type NotificationText } from '../notifications/texts';

/** The data each kind of mail is rendered from. */
export type MailTemplates = {
	/** An in-app notification, also e-mailed: its title, text and the page it points to. */
	notification: {
		title: string;
		body: string;
		text?: NotificationText | null;
		link?: string | null;
		/** The receipt (kwitansi) PDF of the payment the mail is about. */
		receiptLink?: string | null;
		essential?: boolean;
	};
	/** The link that verifies a new account's address. */
	'verify-email': { name: string; link: string };
	/** Someone registered with an address that already has an account. */
	'register-existing': { name: string };
	'password-reset': { name: string; link: string };
	/** To the new address: the link that makes it the account's address. */
	'email-change': { name: string; newEmail: string; link: string };
	/** To the old address, once the change happened. */
	'email-changed': { name: string; newEmail: string };
	/** To the account's address, after its password was changed or reset. */
	'password-changed': { name: string };
	/** Someone asked to move their account to an address that already has an account. */
	'email-change-existing': { name: string };
};

export type MailKind = keyof MailTemplates;

export const MAIL_KINDS = [
	'notification',
	'verify-email',
	'register-existing',
	'password-reset',
	'email-change',
	'email-changed',
	'email-change-existing',
	'password-changed'
] as const satisfies readonly MailKind[];

export type RenderedMail = { subject: string; text: string; html: string };

export type MailContext = {
	/** Public URL of MinisPod, for absolute links. */
	origin: string;
	/** The recipient's language (Indonesian when unknown). */
	locale?: Locale;
	/** Where to write for help (MINISPOD_SUPPORT_EMAIL), under every mail's footer when set. */
	supportEmail?: string | null;
};

const escapeHtml = (value: string) =>
	value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const absolute = (origin: string, link: string) => (/^https?:\/\//.test(link) ? link : `${origin}${link}`);

/** The frame every mail shares: a heading, paragraphs, one button, and why it was sent. */
function layout(
	context: MailContext,
	content: {
		heading: string;
		paragraphs: string[];
		action?: { label: string; link: string };
		/** A link of its own line below the button (a receipt). */
		extraLink?: { label: string; link: string };
		footer: string;
	}
): Omit<RenderedMail, 'subject'> {
	const action = content.action ? { ...content.action, url: absolute(context.origin, content.action.link) } : null;
	const extra = content.extraLink ? { ...content.extraLink, url: absolute(context.origin, content.extraLink.link) } : null;
	const support = context.supportEmail ? m.txt20_mail_support({ email: context.supportEmail }, languageOf(context)) : null;
	const text = [
		content.heading,
		'',
		...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
		...(action ? [`${action.label}: ${action.url}`, ''] : []),
		...(extra ? [`${extra.label}: ${extra.url}`, ''] : []),
		'-- ',
		content.footer,
		...(support ? [support] : [])
	].join('\n');
	const html = [
		'<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#0f172a;line-height:1.5">',
		`<h1 style="font-size:18px">${escapeHtml(content.heading)}</h1>`,
		...content.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
		action
			? `<p><a href="${escapeHtml(action.url)}" style="background:#4f46e5;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>`
			: '',
		extra ? `<p><a href="${escapeHtml(extra.url)}">${escapeHtml(extra.label)}</a></p>` : '',
		`<hr style="border:none;border-top:1px solid #e2e8f0"><p style="font-size:12px;color:#64748b">${escapeHtml(content.footer)}</p>`,
		support ? `<p style="font-size:12px;color:#64748b">${escapeHtml(support)}</p>` : '',
		'</body></html>'
	].join('');
	return { text, html };
}

/** The recipient's language as message options: Indonesian when unknown. */
const languageOf = (context: MailContext) => ({ locale: context.locale ?? ('id' as const) });

function accountMail(
	context: MailContext,
	subject: string,
	paragraphs: string[],
	action?: { label: string; link: string }
): RenderedMail {
	// Why it was sent: it answers something done with this address.
	const footer = m.txt5_mail_account_footer({}, languageOf(context));
	return { subject, ...layout(context, { heading: subject, paragraphs, action, footer }) };
}

/**
 * A notice of a change to the account's security: its footer says why it came and that
 * replies are not read (it comes from a no-reply address), never that it may be ignored.
 */
function securityMail(
	context: MailContext,
	subject: string,
	paragraphs: string[],
	action?: { label: string; link: string }
): RenderedMail {
	const footer = m.txt19a_mail_security_footer({}, languageOf(context));
	return { subject, ...layout(context, { heading: subject, paragraphs, action, footer }) };
}

const accountTemplates: {
	[K in Exclude<MailKind, 'notification'>]: (data: MailTemplates[K], context: MailContext) => RenderedMail;
} = {
	'verify-email': (data, context) => {
		const options = languageOf(context);
		return accountMail(
			context,
			m.txt5_mail_verify_subject({}, options),
			[m.txt5_mail_verify_hello({ name: data.name }, options), m.txt5_mail_verify_body({}, options)],
			{ label: m.txt5_mail_verify_action({}, options), link: data.link }
		);
	},
	'register-existing': (data, context) => {
		const options = languageOf(context);
		return accountMail(
			context,
			m.txt5_mail_existing_subject({}, options),
			[m.txt5_mail_existing_hello({ name: data.name }, options), m.txt5_mail_existing_body({}, options)],
			{ label: m.txt5_mail_existing_action({}, options), link: '/login' }
		);
	},
	'password-reset': (data, context) => {
		const options = languageOf(context);
		return accountMail(
			context,
			m.txt5_mail_reset_subject({}, options),
			[m.txt5_mail_reset_hello({ name: data.name }, options), m.txt5_mail_reset_body({}, options)],
			{ label: m.txt5_mail_reset_action({}, options), link: data.link }
		);
	},
	'email-change': (data, context) => {
		const options = languageOf(context);
		return accountMail(
			context,
			m.txt5_mail_change_subject({}, options),
			[m.txt5_mail_change_hello({ name: data.name, newEmail: data.newEmail }, options), m.txt5_mail_change_body({}, options)],
			{ label: m.txt5_mail_change_action({}, options), link: data.link }
		);
	},
	'email-changed': (data, context) => {
		const options = languageOf(context);
		return securityMail(context, m.txt5_mail_changed_subject({}, options), [
			m.txt5_mail_changed_hello({ name: data.name, newEmail: data.newEmail }, options),
			m.txt5_mail_changed_body({}, options)
		]);
	},
	'password-changed': (data, context) => {
		const options = languageOf(context);
		return securityMail(
			context,
			m.txt19a_mail_password_changed_subject({}, options),
			[m.txt19a_mail_password_changed_hello({ name: data.name }, options), m.txt19a_mail_password_changed_body({}, options)],
			{ label: m.txt19a_mail_password_changed_action({}, options), link: '/forgot-password' }
		);
	},
	'email-change-existing': (data, context) => {
		const options = languageOf(context);
		return accountMail(
			context,
			m.txt19a_mail_change_existing_subject({}, options),
			[m.txt19a_mail_change_existing_hello({ name: data.name }, options), m.txt19a_mail_change_existing_body({}, options)],
			{ label: m.txt5_mail_existing_action({}, options), link: '/login' }
		);
	}
};

const templates: { [K in MailKind]: (data: MailTemplates[K], context: MailContext) => RenderedMail } = {
	notification: (data, context) => {
		// Mails queued before texts existed carry only the English words.
		const { title, body } = notificationWords(data, context.locale ?? 'id');
		return {
			subject: title,
			...layout(context, {
				heading: title,
				paragraphs: [body],
				action: data.link ? { label: m.mail_open_minispod({}, { locale: context.locale }), link: data.link } : undefined,
				extraLink: data.receiptLink
					? { label: m.mail_receipt({}, { locale: context.locale }), link: data.receiptLink }
					: undefined,
				footer: data.essential
					? m.mail_footer_essential({}, { locale: context.locale })
					: m.mail_footer_optional({ url: absolute(context.origin, '/account') }, { locale: context.locale })
			})
		};
	},
	...accountTemplates
};

export function isMailKind(kind: string): kind is MailKind {
	return (MAIL_KINDS as readonly string[]).includes(kind);
}

export function renderMail<K extends MailKind>(kind: K, data: MailTemplates[K], context: MailContext): RenderedMail {
	return templates[kind](data, context);
}
