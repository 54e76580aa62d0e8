// Item 8 of the hardening issue, second half: an internal error's message (a SQL statement
// with its parameters, a host name) never reaches a client or the log. Clients get a
// generic sentence with a request id; every log line a request or a job causes carries
// that request's or job's id; a failed query is logged without its parameters.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm';
import { startTestRuntime, type TestRuntime } from '../support/runtime';
import { memoryLogger } from '../support/log';
import { trpcCall, appFetch } from '../support/http';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { createUser } from '../support/runtime';
import { CookieJar } from '../support/http';

const memory = memoryLogger();
let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ logger: memory.logger, work: true });
});
afterAll(() => runtime?.close());

const PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0c2FsdA$aGFzaGhhc2hoYXNo';

async function signedIn() {
	const user = await createUser(runtime);
	const token = generateSessionToken();
	await createSession(runtime.db, token, user.id, { days: 1 });
	const jar = new CookieJar();
	jar.values.set(SESSION_COOKIE, token);
	return jar;
}

describe('an unexpected error', () => {
	it('reaches the client as a generic sentence with the request id, and the log without query parameters', async () => {
		const jar = await signedIn();
		const failure = new DrizzleQueryError(
			'insert into "users" ("name", "email", "password_hash") values ($1, $2, $3)',
			['Siti', 'siti@example.com', PASSWORD_HASH],
			new Error('invalid byte sequence for encoding "UTF8": 0x00')
		);
		// The catalog's category query fails as a driver error would; the session lookup before it does not.
		const select = runtime.db.select.bind(runtime.db);
		const spy = vi.spyOn(runtime.db, 'select').mockImplementation(((fields?: Record<string, unknown>) => {
			if (fields && 'serviceCount' in fields) throw failure;
			return select(fields as never);
		}) as typeof runtime.db.select);
		const answer = await trpcCall(runtime, 'catalog.categories', undefined, { type: 'query', jar });
		spy.mockRestore();

		expect(answer.status).toBe(500);
		const requestId = answer.headers.get('x-request-id');
		expect(requestId).toMatch(/^[0-9a-f]{16}$/);
		const error = answer.body.error!.json;
		expect(error.message).toContain(requestId);
		// In Indonesian: the language of a customer who has not chosen one.
		expect(error.message).toMatch(/^Terjadi kesalahan di pihak kami/);
		expect(error.data.requestId).toBe(requestId);
		const sent = JSON.stringify(answer.body);
		for (const leak of ['insert into', 'siti@example.com', PASSWORD_HASH, '0x00']) expect(sent).not.toContain(leak);

		const logged = memory.lines.filter((line) => line.includes(requestId!));
		expect(logged.some((line) => line.includes('tRPC call failed'))).toBe(true);
		const text = memory.text();
		expect(text).not.toContain(PASSWORD_HASH);
		expect(text).not.toContain('siti@example.com');
	});

	it('answers every request with its id, and a route that fails logs nothing but its path', async () => {
		const response = await appFetch(runtime, '/healthz?token=secret-in-query');
		expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
		expect(memory.text()).not.toContain('secret-in-query');
	});
});

describe('log lines of a background job', () => {
	it('carry the job id', async () => {
		const jobId = await runtime.boss.send('session-cleanup', {});
		await expect
			.poll(() => memory.lines.find((line) => line.includes('expired sessions removed')), { timeout: 30_000 })
			.toBeTruthy();
		const line = JSON.parse(memory.lines.find((l) => l.includes('expired sessions removed'))!);
		expect(line.jobId).toBe(jobId);
		expect(line.queue).toBe('session-cleanup');
	});
});

describe('the log serializer', () => {
	it('drops a failed query’s parameters from its message and stack', () => {
		const local = memoryLogger();
		const failure = new DrizzleQueryError('select * from users where email = $1', ['budi@example.com'], new Error('boom'));
		local.logger.error({ err: failure }, 'query failed');
		const [line] = local.lines;
		expect(line).toContain('select * from users where email = $1');
		expect(line).not.toContain('budi@example.com');
		expect(JSON.parse(line).err.stack).not.toContain('budi@example.com');
	});
});
