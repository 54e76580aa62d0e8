import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
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
