// A build step for SvelteKit's page rendering: no ETag on a page that carries a CSP nonce.
//
// SvelteKit sets `etag` on every rendered page to a hash of its HTML
// (@sveltejs/kit src/runtime/server/page/render.js), so that a request whose If-None-Match
// equals it gets a 304 (respond.js). Every MinisPod page carries a fresh CSP nonce
// on its inline script (svelte.config.js, `csp.mode: 'auto'`;
// https://svelte.dev/docs/kit/configuration#csp), so two responses are never the same HTML and
// that ETag can never match. The hash is a JavaScript loop over every character of the page:
// 0.35-0.39 ms for the 56 KB catalog page on the 2-core bench machine, 5-7% of the page's CPU
// (README, Performance), spent on a header no cache can use. A page whose HTML does not hold the response's
// nonce (prerendered, no inline script, or no CSP) keeps its ETag; looking for the nonce costs
// a string search, not a hash.
//
// The change is one condition in SvelteKit's own source, made while Vite bundles it. If a
// SvelteKit release moves that line, the build fails here instead of silently hashing again.

/** The lines SvelteKit 2 writes, and the same lines skipped when the HTML holds the nonce. */
const HASHED = 'if (!chunks) {\n\t\theaders.set(\'etag\', `"${hash(transformed)}"`);';
const GUARDED = 'if (!chunks && !transformed.includes(csp.nonce)) {\n\t\theaders.set(\'etag\', `"${hash(transformed)}"`);';

/**
 * SvelteKit's render.js with the ETag left out of pages whose HTML holds the response's nonce.
 * @param {string} code
 * @returns {string}
 */
export function withoutNonceEtag(code) {
	const at = code.indexOf(HASHED);
	if (at < 0 || code.indexOf(HASHED, at + 1) >= 0) {
		throw new Error(
			"scripts/page-etag.js: SvelteKit's page renderer no longer sets its ETag as this build step expects; read its render.js again"
		);
	}
	return code.slice(0, at) + GUARDED + code.slice(at + HASHED.length);
}

/** The Vite plugin: rewrites SvelteKit's page renderer where Vite bundles it into the server build. */
export function pageEtag() {
	return {
		name: 'minispod:page-etag',
		/** @param {string} code @param {string} id */
		transform(code, id) {
			if (!id.replaceAll('\\', '/').endsWith('@sveltejs/kit/src/runtime/server/page/render.js')) return null;
			return { code: withoutNonceEtag(code), map: null };
		}
	};
}
