// The SMTP connection mails leave through: nodemailer on SMTP_URL. Without SMTP_URL there is
// none, and mails stay in the outbox table for the admin Outbox page.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';

const transports = new WeakMap<Config['mail'], Transporter>();

/** The transport for this configuration (one per process), or null without SMTP_URL. */
export function smtpTransport(mail: Config['mail']): Transporter | null {
	if (!mail.smtpUrl) return null;
	let transport = transports.get(mail);
	if (!transport) {
		// A connection URL is a documented transport option (https://nodemailer.com/smtp/#connection-url).
		transport = nodemailer.createTransport(mail.smtpUrl);
		transports.set(mail, transport);
	}
	return transport;
}
