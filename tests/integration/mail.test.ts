// E-mail: every mailed notification is written to the outbox with a `mail-send` job in the
// transaction of its event, delivered once to a real SMTP server (retried when it fails),
// or kept in the outbox without SMTP_URL. Customers can turn optional mails off; reminders
// of money owed still go out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { mailOutbox, users } from '../../src/lib/server/db/schema';
import { createLogger } from '../../src/lib/server/log';
import { readFileSync, statSync } from 'node:fs';
import { deliverMail, deliverMails, keptMailPath, queueMail, queueMails } from '../../src/lib/server/mail/outbox';
import { notify } from '../../src/lib/server/notifications/service';
import { mailSend } from '../../jobs/mail-send';
import { callerFor, createUser, newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { queuedJobs } from '../support/fixtures';
import { expectInvariants } from '../support/invariants';
import { rejection } from '../support/errors';
import { eventually } from '../support/kube';
import { scaled } from '../support/processes';
import { mailsOf } from '../support/billing';
import { startTestSmtp, type TestSmtp } from '../support/smtp';

describe('with SMTP_URL', () => {
	let smtp: TestSmtp;
	let runtime: TestRuntime;
	beforeAll(async () => {
		smtp = await startTestSmtp();
		runtime = await startTestRuntime({
			catalog: false,
			work: true,
			env: { SMTP_URL: smtp.url, MAIL_FROM: 'MinisPod Billing <billing@minispod.test>' }
		});
	});
	afterAll(async () => {
		await expectInvariants(runtime.db);
		await runtime?.close();
		await smtp?.close();
	});

	it('delivers a mail queued with its event to the SMTP server, once, in text and HTML', async () => {
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const { user } = await newCustomer(runtime, 0);
		await admin.admin.wallet.adjust({ userId: user.id, direction: 'credit', amount: 25_000, reason: 'Welcome bonus' });

		const [queued] = await mailsOf(runtime, user.id);
		expect(queued).toMatchObject({ to: user.email, kind: 'notification', essential: false });
		const jobs = await queuedJobs<{ mailId: string }>(runtime.db, 'mail-send');
		expect(jobs.map((job) => job.data.mailId)).toContain(queued.id);

		await eventually(async () => (await mailsOf(runtime, user.id))[0].status === 'SENT', 20_000);
		const delivered = smtp.received.filter((mail) => mail.to.includes(user.email));
		expect(delivered).toHaveLength(1);
		expect(delivered[0].from).toBe('billing@minispod.test');
		// Written in the customer's language, Indonesian by default.
		expect(delivered[0].raw).toContain('Subject: Saldo ditambahkan ke dompet Anda');
		expect(delivered[0].raw).toContain('text/plain');
		expect(delivered[0].raw).toContain('text/html');
		expect(delivered[0].raw).toContain('Welcome bonus');
		expect(delivered[0].raw).toContain(`Message-ID: <${queued.id}@minispod>`);
		const [sent] = await mailsOf(runtime, user.id);
		expect(sent).toMatchObject({ status: 'SENT', subject: 'Saldo ditambahkan ke dompet Anda', attempts: 1, lastError: null });
		// Running the job again sends nothing more.
		expect(await deliverMail(runtime, queued.id)).toBe('skipped');
		expect(smtp.received.filter((mail) => mail.to.includes(user.email))).toHaveLength(1);
	});

	it('works a burst through in batches, each mail sent once', async () => {
		const users = await Promise.all(Array.from({ length: 25 }, () => createUser(runtime)));
		await Promise.all(
			users.map((user, index) =>
				notify(runtime.db, { userId: user.id, type: 'GRACE_REMINDER', title: `Burst ${index}`, body: 'Top up.' })
			)
		);
		const emails = new Set(users.map((user) => user.email));
		const received = () => smtp.received.filter((mail) => mail.to.some((to) => emails.has(to)));
		const outbox = () =>
			runtime.db
				.select()
				.from(mailOutbox)
				.where(
					inArray(
						mailOutbox.userId,
						users.map((user) => user.id)
					)
				);
		// A batch's mails reach the SMTP server before its transaction commits them SENT: wait for
		// every row to be done (SENT, or FAILED on its last attempt), not for the server.
		await eventually(async () => (await outbox()).every((row) => row.status !== 'QUEUED'), scaled(30_000));
		const rows = await outbox();
		expect(rows.map((row) => [row.status, row.attempts])).toEqual(users.map(() => ['SENT', 1]));
		expect(received()).toHaveLength(users.length);
		expect(new Set(received().map((mail) => mail.to[0]))).toEqual(emails);
	});
});

describe('when the SMTP server fails', () => {
	let smtp: TestSmtp;
	let runtime: TestRuntime;
	beforeAll(async () => {
		smtp = await startTestSmtp();
		// No workers: each delivery attempt (what one run of the mail-send job does) is made here.
		runtime = await startTestRuntime({ catalog: false, env: { SMTP_URL: smtp.url } });
	});
	afterAll(async () => {
		await runtime?.close();
		await smtp?.close();
	});

	it('records the failure and rethrows for pg-boss to retry; the retry sends it once', async () => {
		const user = await createUser(runtime);
		await notify(runtime.db, { userId: user.id, type: 'GRACE_REMINDER', title: 'Two days left to pay', body: 'Top up.' });
		const [mail] = await mailsOf(runtime, user.id);
		smtp.failNext(1);
		await expect(mailSend.handle(runtime, job(mail.id, 0))).rejects.toThrow(/Mailbox busy/);
		const [failed] = await mailsOf(runtime, user.id);
		expect(failed).toMatchObject({ status: 'QUEUED', attempts: 1 });
		expect(failed.lastError).toContain('Mailbox busy');
		expect(smtp.received).toHaveLength(0);

		expect(await mailSend.handle(runtime, job(mail.id, 1))).toBe('sent');
		expect(await mailSend.handle(runtime, job(mail.id, 2))).toBe('skipped');
		expect(smtp.received.filter((received) => received.to.includes(user.email))).toHaveLength(1);
		expect((await mailsOf(runtime, user.id))[0]).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
	});

	it('delivers a batch in one go; a mail that fails fails alone, the others are sent', async () => {
		const users = await Promise.all(Array.from({ length: 4 }, () => createUser(runtime)));
		for (const user of users) {
			await notify(runtime.db, { userId: user.id, type: 'GRACE_REMINDER', title: 'Two days left to pay', body: 'Top up.' });
		}
		const mails = (await Promise.all(users.map((user) => mailsOf(runtime, user.id)))).map(([mail]) => mail);
		await deliverMail(runtime, mails[3].id);
		smtp.failNext(1);
		const attempts = [
			{ mailId: mails[0].id, final: false },
			{ mailId: mails[1].id, final: true },
			{ mailId: mails[2].id, final: false },
			{ mailId: mails[3].id, final: false },
			{ mailId: randomUUID(), final: false }
		];
		const outcomes = await deliverMails(runtime, attempts);
		// Sent in id order: the first of them is the one the server refused.
		const order = mails
			.slice(0, 3)
			.map((mail) => mail.id)
			.sort();
		const refused = mails.findIndex((mail) => mail.id === order[0]);
		expect(outcomes[refused]).toBeInstanceOf(Error);
		expect((outcomes[refused] as Error).message).toMatch(/Mailbox busy/);
		expect(outcomes.map((outcome, index) => (index === refused ? 'error' : outcome))).toEqual([
			...[0, 1, 2].map((index) => (index === refused ? 'error' : 'sent')),
			'skipped',
			'skipped'
		]);
		const rows = await Promise.all(users.map(async (user) => (await mailsOf(runtime, user.id))[0]));
		expect(rows[refused]).toMatchObject({ status: attempts[refused].final ? 'FAILED' : 'QUEUED', attempts: 1 });
		expect(rows[refused].lastError).toContain('Mailbox busy');
		for (const index of [0, 1, 2].filter((index) => index !== refused)) {
			expect(rows[index]).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
		}
		expect(rows[3]).toMatchObject({ status: 'SENT', attempts: 1 });
		for (const user of users)
			expect(smtp.received.filter((mail) => mail.to.includes(user.email))).toHaveLength(user === users[refused] ? 0 : 1);
	});

	it('gives up on the last attempt, marking the mail FAILED', async () => {
		const mailId = (await queueMail(runtime.db, {
			to: 'nobody@example.com',
			kind: 'notification',
			essential: true,
			data: { title: 'Doomed', body: 'x' }
		}))!;
		smtp.failNext(1);
		await expect(mailSend.handle(runtime, job(mailId, 8))).rejects.toThrow();
		const [row] = await runtime.db.select().from(mailOutbox).where(eq(mailOutbox.id, mailId));
		expect(row).toMatchObject({ status: 'FAILED', attempts: 1 });
	});
});

/** A mail-send job as pg-boss hands it to the worker, on its `retryCount`th retry of 8. */
const job = (mailId: string, retryCount: number) => ({ id: 'job', data: { mailId }, retryCount, retryLimit: 8 }) as never;

describe('without SMTP_URL', () => {
	let runtime: TestRuntime;
	const lines: Record<string, unknown>[] = [];
	beforeAll(async () => {
		const destination = new Writable({
			write(chunk, _encoding, done) {
				for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
				done();
			}
		});
		runtime = await startTestRuntime({ catalog: false, logger: createLogger({ level: 'info', pretty: false, destination }) });
	});
	afterAll(() => runtime?.close());

	it('keeps mails in the outbox, names each in the log, and shows them to administrators', async () => {
		const user = await createUser(runtime);
		await notify(runtime.db, {
			userId: user.id,
			type: 'SUBSCRIPTION_RENEWED',
			title: 'Ghost renewed',
			body: 'Rp 50.000 was charged.',
			link: '/subscriptions/x'
		});
		const [mail] = await mailsOf(runtime, user.id);
		expect(await deliverMail(runtime, mail.id)).toBe('kept');
		// The whole mail is also a file only whoever runs MinisPod can read.
		const file = keptMailPath(runtime.dataDir, mail.id);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(readFileSync(file, 'utf8')).toContain('http://127.0.0.1:3999/subscriptions/x');
		const [kept] = await mailsOf(runtime, user.id);
		expect(kept).toMatchObject({ status: 'KEPT', subject: 'Ghost renewed' });
		expect(kept.text).toContain('http://127.0.0.1:3999/subscriptions/x');
		expect(lines).toContainEqual(
			expect.objectContaining({
				msg: 'mail kept in the outbox (no SMTP_URL)',
				mailId: mail.id,
				to: user.email,
				subject: 'Ghost renewed'
			})
		);

		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const outbox = await admin.admin.mail.outbox({ page: 1, pageSize: 10 });
		expect(outbox.smtp).toBe(false);
		expect(outbox.items.find((item) => item.id === mail.id)).toMatchObject({
			status: 'KEPT',
			to: user.email,
			subject: 'Ghost renewed'
		});
		const customer = await callerFor(runtime, user);
		expect((await rejection(customer.admin.mail.outbox({ page: 1, pageSize: 10 }))).code).toBe('FORBIDDEN');
	});

	it('lets a customer turn optional mails off; reminders of money owed still go out', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		expect(await api.notifications.mailSettings()).toEqual({ optionalMails: true });
		expect(await api.notifications.setMailSettings({ optionalMails: false })).toEqual({ optionalMails: false });

		for (const type of ['SUBSCRIPTION_RENEWED', 'GRACE_REMINDER', 'INSTANCE_RUNNING', 'SUBSCRIPTION_SUSPENDED'] as const) {
			await notify(runtime.db, { userId: user.id, type, title: type, body: 'x' });
		}
		const mails = await mailsOf(runtime, user.id);
		expect(mails.map((mail) => (mail.data as { title: string }).title).sort()).toEqual([
			'GRACE_REMINDER',
			'SUBSCRIPTION_SUSPENDED'
		]);
		expect(mails.every((mail) => mail.essential)).toBe(true);
		// The in-app notifications are all there.
		expect((await api.notifications.list()).total).toBe(4);
	});

	it('addresses each mail to the recipient of now, in their language, and drops one to a deleted account', async () => {
		const [english, indonesian, gone] = [await createUser(runtime), await createUser(runtime), await createUser(runtime)];
		await runtime.db.update(users).set({ locale: 'en' }).where(eq(users.id, english.id));
		await runtime.db.update(users).set({ locale: null }).where(eq(users.id, indonesian.id));
		await runtime.db.delete(users).where(eq(users.id, gone.id));
		const ids = await queueMails(runtime.db, [
			...[english, indonesian, gone].map((user) => ({
				userId: user.id,
				kind: 'notification' as const,
				essential: true,
				data: { title: 'T', body: 'B', text: null, link: null, receiptLink: null, essential: true }
			})),
			{ to: 'someone@example.test', kind: 'register-existing' as const, essential: true, data: { name: 'Someone' } }
		]);
		expect(ids).toHaveLength(3);
		const rows = await runtime.db.select().from(mailOutbox).where(inArray(mailOutbox.id, ids));
		const byTo = new Map(rows.map((row) => [row.to, row]));
		expect(byTo.get(english.email)).toMatchObject({ userId: english.id, data: { title: 'T', locale: 'en' } });
		expect(byTo.get(indonesian.email)).toMatchObject({ userId: indonesian.id, data: { locale: 'id' } });
		expect(byTo.get('someone@example.test')).toMatchObject({ userId: null, data: { name: 'Someone' } });
		expect(byTo.get('someone@example.test')!.data).not.toHaveProperty('locale');
		expect((await queuedJobs<{ mailId: string }>(runtime.db, 'mail-send')).map((job) => job.data.mailId)).toEqual(
			expect.arrayContaining(ids)
		);
	});

	it('queues nothing when the event rolls back', async () => {
		const user = await createUser(runtime);
		await runtime.db
			.transaction(async (tx) => {
				await notify(tx, { userId: user.id, type: 'WALLET_ADJUSTED', title: 'Rolled back', body: 'x' });
				throw new Error('the event fails');
			})
			.catch(() => undefined);
		expect(await mailsOf(runtime, user.id)).toEqual([]);
		const jobs = await queuedJobs<{ mailId: string }>(runtime.db, 'mail-send');
		const ids = new Set((await runtime.db.select({ id: mailOutbox.id }).from(mailOutbox)).map((row) => row.id));
		expect(jobs.every((job) => ids.has(job.data.mailId))).toBe(true);
	});
});
