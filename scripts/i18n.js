// Compiles messages/{id,en}.json into typed message functions in src/lib/paraglide (generated,
// not committed). `npm run check` and `prepare` run this file; the Vite plugin (build, dev,
// vitest) uses the same options. The inlang project loads its message-format plugin from
// node_modules (project.inlang/settings.json), never from a CDN, so this works offline.
// https://paraglidejs.com (compiler options: `compile`, `paraglideVitePlugin`)
import { compile } from '@inlang/paraglide-js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	// The server decides the locale (the account's choice, src/lib/server/i18n.ts, else the
	// cookie) and keeps the cookie equal to it, so the browser reads the same locale. No
	// locale prefixes in URLs.
	strategy: ['custom-account', 'cookie', 'baseLocale'],
	cookieName: 'minispod_locale',
	emitReadme: false
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
	await compile(paraglideOptions);
	// The inlang SDK leaves a handle open for ~30 s after compiling (its CLI exits explicitly too).
	process.exit(0);
}
