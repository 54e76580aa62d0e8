import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		// Content-Security-Policy, sent as a header with every page: SvelteKit puts a nonce on its
		// own inline scripts (https://svelte.dev/docs/kit/configuration#csp). Styles allow inline
		// `style` attributes (bars, charts); nothing is loaded from another origin, and no site
		// may frame MinisPod. The other security headers are set in hooks.server.ts.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		alias: {
			$jobs: 'jobs',
			// Dev/test servers for outside services; the app may only import() them lazily.
			$standins: 'standins'
		},
		typescript: {
			config(tsconfig) {
				tsconfig.include.push('../jobs/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts', '../standins/**/*.ts');
				return tsconfig;
			}
		}
	}
};

export default config;
