// The build step that keeps SvelteKit from hashing pages whose HTML holds a fresh CSP nonce
// (scripts/page-etag.js): it rewrites the installed SvelteKit's renderer in one place, touches no
// other module, and fails the build when SvelteKit no longer writes the line it expects.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageEtag, withoutNonceEtag } from '../../../scripts/page-etag.js';

const kit = path.dirname(createRequire(import.meta.url).resolve('@sveltejs/kit/package.json'));
const renderer = path.join(kit, 'src/runtime/server/page/render.js');
const source = readFileSync(renderer, 'utf8');

describe('no ETag on pages that carry a nonce', () => {
	it("guards the installed SvelteKit's ETag with a search for the nonce, and changes nothing else", () => {
		const rewritten = withoutNonceEtag(source);
		expect(rewritten).not.toBe(source);
		expect(rewritten.match(/headers\.set\('etag'/g)).toHaveLength(1);
		expect(rewritten).toContain("if (!chunks && !transformed.includes(csp.nonce)) {\n\t\theaders.set('etag'");
		expect(rewritten.replace('if (!chunks && !transformed.includes(csp.nonce)) {', 'if (!chunks) {')).toBe(source);
	});

	it('fails the build when SvelteKit no longer sets the ETag as expected', () => {
		const moved = source.replace("headers.set('etag'", "headers.set('ETag'");
		expect(() => withoutNonceEtag(moved)).toThrow(/no longer sets its ETag/);
		expect(() => withoutNonceEtag(source + source)).toThrow(/no longer sets its ETag/);
	});

	it('rewrites only the page renderer', () => {
		const plugin = pageEtag();
		expect(plugin.transform(source, renderer)?.code).toBe(withoutNonceEtag(source));
		expect(plugin.transform(source, renderer.replaceAll('/', '\\'))?.code).toBe(withoutNonceEtag(source));
		expect(plugin.transform(source, path.join(kit, 'src/runtime/server/respond.js'))).toBeNull();
		expect(plugin.transform('export const x = 1;', '/work/src/routes/+page.svelte')).toBeNull();
	});
});
