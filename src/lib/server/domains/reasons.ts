// What a custom domain's last check found, or why it failed, stored as a message key and its
// parameters (custom_domains.status_reason_text) so each reader gets it in their own language,
// like an app's status reason (instances/reasons.ts). The status_reason column keeps the
// English as well: rows written before reason texts existed show it as it is.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';

type Record_ = { name: string };
type Pointing = Record_ & { found: string; expected: string };

/** Every reason, with the parameters its message takes. */
type Texts = {
	lookup_failed: { lookup: string; code: string };
	txt_missing: Record_;
	txt_wrong: Record_;
	cname_missing: Record_;
	cname_wrong: Pointing;
	a_missing: Record_;
	a_wrong: Pointing;
	dns_gave_up: { last: DomainReason | null };
	waiting_for_certificate: Record<string, never>;
	no_certificate: Record<string, never>;
	over_allowance: { allowed: number };
	paused: Record<string, never>;
};

export type DomainReasonKey = keyof Texts;
export type DomainReason = { [K in DomainReasonKey]: { key: K; params: Texts[K] } }[DomainReasonKey];

export const domainReason = <K extends DomainReasonKey>(key: K, params: Texts[K]) => ({ key, params }) as DomainReason;

/** The reason's sentence in a language; null for a key this version does not know. */
export function renderDomainReason(reason: DomainReason, locale: Locale): string | null {
	const options = { locale };
	switch (reason.key) {
		case 'lookup_failed':
			return m.txt5_domain_lookup_failed(reason.params, options);
		case 'txt_missing':
			return m.txt5_domain_txt_missing(reason.params, options);
		case 'txt_wrong':
			return m.txt5_domain_txt_wrong(reason.params, options);
		case 'cname_missing':
			return m.txt5_domain_cname_missing(reason.params, options);
		case 'cname_wrong':
			return m.txt5_domain_cname_wrong(reason.params, options);
		case 'a_missing':
			return m.txt5_domain_a_missing(reason.params, options);
		case 'a_wrong':
			return m.txt5_domain_a_wrong(reason.params, options);
		case 'dns_gave_up': {
			const last = reason.params.last && renderDomainReason(reason.params.last, locale);
			return last ? m.txt5_domain_dns_gave_up_found({ last }, options) : m.txt5_domain_dns_gave_up({}, options);
		}
		case 'waiting_for_certificate':
			return m.txt5_domain_waiting_for_certificate({}, options);
		case 'no_certificate':
			return m.txt5_domain_no_certificate({}, options);
		case 'over_allowance':
			return reason.params.allowed === 1
				? m.txt5_domain_over_allowance_one({}, options)
				: m.txt5_domain_over_allowance({ allowed: reason.params.allowed }, options);
		case 'paused':
			return m.txt5_domain_paused({}, options);
		default:
			return null;
	}
}

/** The columns of a domain that state a reason: the key and parameters, and the English beside them. */
export const domainStatusReason = (reason: DomainReason | null) => ({
	statusReason: reason && renderDomainReason(reason, 'en'),
	statusReasonText: reason
});

/** What a reader sees: the keyed sentence in their language, else the stored text as it is. */
export const domainReasonFor = (
	domain: { statusReason: string | null; statusReasonText: DomainReason | null },
	locale: Locale
): string | null => (domain.statusReasonText && renderDomainReason(domain.statusReasonText, locale)) ?? domain.statusReason;
