// What SvelteKit is told about each page it renders: the page's language in <html lang>, and
// its preloads as <link> tags in its <head> rather than in a `link` response header.
//
// SvelteKit lists a rendered page's preloads (its JavaScript modules, stylesheets and fonts)
// only in a `link` header; the matching <link> tags are written for prerendered pages alone
// (render.js, Head.add_link_tag). On a signed-in MinisPod page that header is 3.6-4.5 KB,
// which took the response's header block past 4 KB: the default proxy_buffer_size of
// ingress-nginx, the entrance deploy/kubernetes ships, and nginx answers a larger block with
// a 502 ("upstream sent too big header"; https://github.com/sveltejs/kit/issues/11084).
// So SvelteKit is told to preload nothing through the header (`preload`, which it asks for
// each file), and the same modules go into the <head> as modulepreload tags, which browsers
// read as early as the header. Stylesheets need nothing: their <link rel="stylesheet"> is
// always written.
import type { ResolveOptions } from '@sveltejs/kit';

/** The resolve options of one page request in `locale`. */
export function pageResolveOptions(locale: string): ResolveOptions {
	let tags = '';
	return {
		preload: ({ type, path }) => {
			// The path is SvelteKit's, relative to the page; encodeURI as it encodes it for the header.
			if (type === 'js') tags += `<link rel="modulepreload" href="${encodeURI(path)}">`;
			else if (type === 'font') {
				tags += `<link rel="preload" as="font" type="font/${path.slice(path.lastIndexOf('.') + 1)}" crossorigin href="${encodeURI(path)}">`;
			}
			return false;
		},
		// Called once for a page, or once per chunk of a streamed one: the first holds the head.
		transformPageChunk: ({ html }) => {
			const page = html.replace('%lang%', locale);
			if (!tags) return page;
			const head = page.indexOf('</head>');
			if (head < 0) return page;
			const withPreloads = page.slice(0, head) + tags + page.slice(head);
			tags = '';
			return withPreloads;
		}
	};
}
