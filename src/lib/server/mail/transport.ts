// The SMTP connection mails leave through: nodemailer on SMTP_URL. Without SMTP_URL there is
// none, and mails stay in the outbox table for the admin Outbox page.
// nodemailer is loaded with the first mail sent, not at start: a web process that sends no
// mail keeps its 1.7 MiB of heap free (issue 16, "what the live heap holds" in the README).
import type { Transporter } from 'nodemailer';
import type { Config } from '../config';

const transports = new WeakMap<Config['mail'], Promise<Transporter>>();

/** The transport for this configuration (one per process), or null without SMTP_URL. */
export function smtpTransport(mail: Config['mail']): Promise<Transporter> | null {
	const { smtpUrl } = mail;
	if (!smtpUrl) return null;
	let transport = transports.get(mail);
	if (!transport) {
		// A connection URL is a documented transport option (https://nodemailer.com/smtp/#connection-url).
		transport = import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl));
		transports.set(mail, transport);
	}
	return transport;
}
