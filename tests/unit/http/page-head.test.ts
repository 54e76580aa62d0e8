// A page's preloads go into its <head> as tags, not into a `link` header that can take the
// header block past ingress-nginx's 4 KB buffer (src/lib/server/http/page-head.ts).
import { describe, expect, it } from 'vitest';
import { pageResolveOptions } from '../../../src/lib/server/http/page-head';

const template = '<!doctype html><html lang="%lang%"><head><title>x</title></head><body>%body%</body></html>';

function render(locale: string, files: { type: 'js' | 'css' | 'font' | 'asset'; path: string }[], chunks: string[]) {
	const options = pageResolveOptions(locale);
	// SvelteKit asks about each file first; what it is told decides its `link` header.
	const header = files.filter((file) => options.preload!(file));
	const html = chunks.map(
		(chunk, index) => options.transformPageChunk!({ html: chunk, done: index === chunks.length - 1 }) as string
	);
	return { header, html };
}

describe('a page’s head options', () => {
	it('put the modules and fonts to preload into the head, and nothing into the header', () => {
		const { header, html } = render(
			'en',
			[
				{ type: 'js', path: './_app/immutable/entry/start.js' },
				{ type: 'css', path: './_app/immutable/assets/0.css' },
				{ type: 'font', path: './_app/immutable/assets/inter.woff2' },
				{ type: 'js', path: './_app/immutable/chunks/a b.js' }
			],
			[template]
		);
		expect(header).toEqual([]);
		expect(html[0]).toBe(
			'<!doctype html><html lang="en"><head><title>x</title>' +
				'<link rel="modulepreload" href="./_app/immutable/entry/start.js">' +
				'<link rel="preload" as="font" type="font/woff2" crossorigin href="./_app/immutable/assets/inter.woff2">' +
				'<link rel="modulepreload" href="./_app/immutable/chunks/a%20b.js">' +
				'</head><body>%body%</body></html>'
		);
	});

	it('write the tags once, into the chunk that holds the head, on a streamed page', () => {
		const { html } = render('id', [{ type: 'js', path: './start.js' }], [template, '<p>later</head></p>']);
		expect(html[0]).toContain('lang="id"');
		expect(html[0]).toContain('<link rel="modulepreload" href="./start.js"></head>');
		expect(html[1]).toBe('<p>later</head></p>');
	});

	it('leave a page with nothing to preload as it is, but for its language', () => {
		expect(render('id', [], [template]).html[0]).toBe(template.replace('%lang%', 'id'));
	});
});
