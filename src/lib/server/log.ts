import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { parseConfig } from './config';

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
		'headers.authorization',
		'headers.cookie',
		'*.headers.authorization',
		'*.headers.cookie'
	],
	censor: '[redacted]'
};

/** Errors as type, message, code and stack only: driver errors carry whole clients. */
function serializeError(error: unknown): unknown {
	if (!(error instanceof Error)) return error;
	const { code } = error as Error & { code?: unknown };
	return {
		type: error.name,
		message: error.message,
		...(code !== undefined ? { code } : {}),
		stack: error.stack,
		...(error.cause ? { cause: serializeError(error.cause) } : {})
	};
}

const serializers = { err: serializeError };

export function createLogger(options: { level: string; pretty: boolean; destination?: pino.DestinationStream }): Logger {
	if (options.destination) return pino({ level: options.level, redact, serializers }, options.destination);
	if (options.pretty) {
		return pino(
			{ level: options.level, redact, serializers },
			pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' })
		);
	}
	return pino({ level: options.level, redact, serializers });
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
