import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { DrizzleQueryError } from 'drizzle-orm';
import { parseConfig } from './config';
import { currentContext } from './request-context';

// Secrets never reach the log: these paths are censored wherever they appear.
const redact = {
	paths: [
		'password',
		'*.password',
		'passwordHash',
		'*.passwordHash',
		'token',
		'*.token',
		'sessionToken',
		'signature_key',
		'*.signature_key',
		'serverKey',
		'*.serverKey',
		// SMTP_URL carries the mail server's password.
		'smtpUrl',
		'*.smtpUrl',
		// Generated app secrets (sealed or not), the key that seals them, a Secret's values.
		'generatedSecrets',
		'*.generatedSecrets',
		'secretKey',
		'*.secretKey',
		'stringData',
		'*.stringData',
		'headers.authorization',
		'headers.cookie',
		'*.headers.authorization',
		'*.headers.cookie'
	],
	censor: '[redacted]'
};

/**
 * The `params: …` part drizzle writes into a failed query's message (and so its stack, and
 * the message of any error wrapping it, such as tRPC's): the values written, password hashes
 * included.
 */
function parameterTexts(error: unknown, depth = 0): string[] {
	if (!(error instanceof Error) || depth > 5) return [];
	const own = error instanceof DrizzleQueryError ? [`\nparams: ${error.params}`] : [];
	return [...own, ...parameterTexts(error.cause, depth + 1)];
}

const scrub = (text: string | undefined, secrets: string[]) =>
	text === undefined ? undefined : secrets.reduce((result, secret) => result.split(secret).join(''), text);

/**
 * Errors as type, message, code and stack only: driver errors carry whole clients, and a
 * failed query's parameters are dropped wherever they were copied.
 */
export function serializeError(error: unknown): unknown {
	const secrets = parameterTexts(error);
	const serialize = (current: unknown, depth: number): unknown => {
		if (!(current instanceof Error)) return current;
		const { code } = current as Error & { code?: unknown };
		return {
			type: current.name,
			message: scrub(current.message, secrets),
			...(code !== undefined ? { code } : {}),
			stack: scrub(current.stack, secrets),
			...(current.cause && depth < 5 ? { cause: serialize(current.cause, depth + 1) } : {})
		};
	};
	return serialize(error, 0);
}

const serializers = { err: serializeError };

/** Every line names the request or job that caused it (request-context.ts). */
const mixin = () => ({ ...currentContext() });

export function createLogger(options: { level: string; pretty: boolean; destination?: pino.DestinationStream }): Logger {
	const settings = { level: options.level, redact, serializers, mixin };
	if (options.destination) return pino(settings, options.destination);
	if (options.pretty) {
		return pino(settings, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
	}
	return pino(settings);
}

/** A logger for code that runs before the runtime is started (configuration errors included). */
function initialLogger(): Logger {
	try {
		const config = parseConfig();
		return createLogger({ level: config.logLevel, pretty: !config.isProduction });
	} catch {
		return createLogger({ level: 'info', pretty: false });
	}
}

/** The process-wide logger; replaced by the runtime once configuration is known. */
export let log: Logger = initialLogger();

export function setLogger(logger: Logger) {
	log = logger;
}
