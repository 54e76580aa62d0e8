// Vitest's global setup: compiles the messages (src/lib/paraglide) when they are older than
// their sources. In a child process: the inlang SDK keeps the process alive for a while after
// compiling, which would hold up vitest's exit (scripts/i18n.js exits explicitly).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const output = path.join(root, 'src/lib/paraglide/messages.js');
const sources = [
	...readdirSync(path.join(root, 'messages')).map((file) => path.join(root, 'messages', file)),
	path.join(root, 'project.inlang/settings.json'),
	path.join(root, 'scripts/i18n.js')
];

export default function setup() {
	const built = existsSync(output) ? statSync(output).mtimeMs : 0;
	if (sources.every((source) => statSync(source).mtimeMs <= built)) return;
	const result = spawnSync(process.execPath, [path.join(root, 'scripts/i18n.js')], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('Compiling the messages failed');
}
