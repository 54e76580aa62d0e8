// Container logs: what each pod's app prints, kept per container run (so `previous=true`
// works after a crash), with followers that receive new lines until the run or pod ends.

export type LogLine = { time: Date; text: string; run: number };

type Follower = { run: number; onLine: (line: LogLine) => void; onEnd: () => void };

const MAX_LINES = 5000;

export class PodLog {
	private lines: LogLine[] = [];
	private readonly followers = new Set<Follower>();

	append(run: number, text: string, time = new Date()) {
		for (const part of text.split('\n')) {
			const line = { time, text: part, run };
			this.lines.push(line);
			for (const follower of this.followers) if (follower.run === run) follower.onLine(line);
		}
		if (this.lines.length > MAX_LINES) this.lines = this.lines.slice(-MAX_LINES);
	}

	read(run: number, options: { tailLines?: number; sinceSeconds?: number } = {}): LogLine[] {
		let lines = this.lines.filter((line) => line.run === run);
		if (options.sinceSeconds !== undefined) {
			const since = Date.now() - options.sinceSeconds * 1000;
			lines = lines.filter((line) => line.time.getTime() >= since);
		}
		if (options.tailLines !== undefined) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
		return lines;
	}

	hasRun(run: number): boolean {
		return this.lines.some((line) => line.run === run);
	}

	follow(run: number, onLine: (line: LogLine) => void, onEnd: () => void): () => void {
		const follower = { run, onLine, onEnd };
		this.followers.add(follower);
		return () => this.followers.delete(follower);
	}

	/** The container run ended (the app exited): its followers' streams end. */
	endRun(run: number) {
		for (const follower of [...this.followers]) {
			if (follower.run !== run) continue;
			this.followers.delete(follower);
			follower.onEnd();
		}
	}

	/** The pod is gone: every follower's stream ends. */
	close() {
		for (const follower of [...this.followers]) {
			this.followers.delete(follower);
			follower.onEnd();
		}
	}
}

export type AppContext = { image: string; port: number; healthPath: string; podName: string };

type Voice = {
	matches: RegExp;
	startup: (context: AppContext) => string[];
	ready: (context: AppContext) => string[];
};

// The tag's version, also when the image is pinned by digest (`name:1.2.3@sha256:…`).
const version = (image: string) => image.split('@')[0].split(':').at(-1)?.replace(/-.*$/, '') ?? 'latest';
const clock = () => new Date().toISOString().replace('T', ' ').slice(0, 19);

/** What the catalog's apps print when they start, roughly as they really do. */
const VOICES: Voice[] = [
	{
		matches: /n8n/,
		startup: (c) => [
			'Initializing n8n process',
			`n8n version ${version(c.image)}`,
			'Migrations in progress, please do NOT stop the process.'
		],
		ready: (c) => [`n8n ready on ::, port ${c.port}`, '', 'Editor is now accessible via:', `http://localhost:${c.port}`]
	},
	{
		matches: /ghost/,
		startup: (c) => [
			`[${clock()}] INFO Ghost is running in production...`,
			`[${clock()}] INFO Ghost version ${version(c.image)}`,
			`[${clock()}] INFO Database is in a ready state.`
		],
		ready: () => [`[${clock()}] INFO Ghost booted in 2.314s`, `[${clock()}] INFO Adding offloaded job to the queue`]
	},
	{
		matches: /uptime-kuma/,
		startup: (c) => [
			'==> Performing startup jobs and maintenance tasks',
			`Welcome to Uptime Kuma ${version(c.image)}`,
			'Your Node.js version: 18.20.5',
			'Data Dir: ./data/'
		],
		ready: (c) => ['Server Type: HTTP', `Listening on ${c.port}`]
	},
	{
		matches: /gitea/,
		startup: (c) => [
			`${clock()} cmd/web.go:242:runWeb() [I] Starting Gitea on PID: 1`,
			`${clock()} cmd/web.go:111:showWebStartupMessage() [I] Gitea version: ${version(c.image)}`,
			`${clock()} models/db/engine.go:143:SyncAllTables() [I] Synchronizing database tables`
		],
		ready: (c) => [`${clock()} cmd/web.go:315:listen() [I] Listen: http://0.0.0.0:${c.port}`]
	},
	{
		matches: /vaultwarden/,
		startup: (c) => [
			'/--------------------------------------------------------------------\\',
			`|                        Starting Vaultwarden                        |`,
			`|                           Version ${version(c.image).padEnd(33)}|`,
			'\\--------------------------------------------------------------------/',
			`[${clock()}][vaultwarden][INFO] Private key created correctly.`
		],
		ready: (c) => [`[${clock()}][start][INFO] Rocket has launched from http://0.0.0.0:${c.port}`]
	},
	{
		matches: /memos/,
		startup: () => [`${clock()} INFO Migrating database`, `${clock()} INFO Database migration completed`],
		ready: (c) => [`Memos ${version(c.image)} started successfully!`, `Server running on port ${c.port}`]
	}
];

const GENERIC: Voice = {
	matches: /.*/,
	startup: (c) => [`Starting ${c.image}`, 'Loading configuration from environment'],
	ready: (c) => [`Listening on 0.0.0.0:${c.port}`]
};

function voiceFor(image: string): Voice {
	return VOICES.find((voice) => voice.matches.test(image)) ?? GENERIC;
}

/** The first lines every run prints: the image it runs, then the app's own start-up. */
export function startupLines(context: AppContext): string[] {
	return [`Container started from image ${context.image}`, ...voiceFor(context.image).startup(context)];
}

export function readyLines(context: AppContext): string[] {
	return voiceFor(context.image).ready(context);
}

/** A line the running app prints from time to time: its health checks being served. */
export function periodicLine(context: AppContext, sequence: number): string {
	const ms = (0.6 + ((sequence * 7) % 23) / 10).toFixed(1);
	return `${new Date().toISOString()} GET ${context.healthPath} 200 ${ms}ms "kube-probe/1.31"`;
}

export function crashLines(context: AppContext, exitCode: number, message: string): string[] {
	return [message, `Process exited with code ${exitCode}`];
}
