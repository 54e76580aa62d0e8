// The simulator's hosted payment page: plain server-rendered HTML forms, so it works in any
// browser without scripts. A person picks one of the enabled channels, then pays, has the
// payment denied, or lets it expire.
import { CHANNELS } from './channels';
import type { SimulatedTransaction } from './index';

const rupiah = new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 });
const formatRupiah = (amount: number) => rupiah.format(amount).replace(/\s/g, ' ');

const escapeHtml = (value: string) =>
	value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const OUTCOMES: Record<string, string> = {
	settlement: 'Payment received.',
	capture: 'Card payment captured.',
	deny: 'The payment was denied.',
	cancel: 'The payment was cancelled by the merchant.',
	expire: 'The payment expired.',
	failure: 'The payment failed.',
	refund: 'The payment was refunded.',
	partial_refund: 'Part of the payment was refunded.',
	chargeback: 'The payment was charged back.',
	partial_chargeback: 'Part of the payment was charged back.'
};

export function renderPaymentPage(record: SimulatedTransaction, expired: boolean): string {
	const action = (name: string) => `/snap/v4/redirection/${encodeURIComponent(record.token)}/${name}`;
	const channel = record.channel ? CHANNELS[record.channel] : null;
	const back = record.callbacks.unfinish ?? record.callbacks.finish;
	let body: string;

	if (record.status && record.status !== 'pending') {
		const target = record.callbacks.finish;
		body = `<p class="result" role="status" data-testid="simulator-result">${escapeHtml(OUTCOMES[record.status] ?? record.status)}</p>
			${target ? `<a class="button" href="${escapeHtml(withOrder(target, record))}">Back to the merchant</a>` : ''}`;
	} else if (expired) {
		body = `<p class="result" role="status">This payment page has expired.</p>
			${back ? `<a class="button secondary" href="${escapeHtml(withOrder(back, record))}">Back to the merchant</a>` : ''}`;
	} else if (!channel) {
		const options = record.enabledPayments
			.map(
				(
					code,
					index
				) => `<label class="option"><input type="radio" name="channel" value="${escapeHtml(code)}"${index === 0 ? ' checked' : ''}>
					<span>${escapeHtml(CHANNELS[code].label)}</span></label>`
			)
			.join('');
		body = `<form method="post" action="${action('choose')}">
				<fieldset><legend>Choose how to pay</legend>${options}</fieldset>
				<button type="submit" class="button">Continue</button>
			</form>
			${back ? `<a class="link" href="${escapeHtml(withOrder(back, record))}">Back to the merchant</a>` : ''}`;
	} else {
		body = `<h2>${escapeHtml(channel.label)}</h2>
			${instructions(record)}
			<div class="actions">
				<form method="post" action="${action('pay')}"><button type="submit" class="button">Pay ${formatRupiah(record.grossAmount)}</button></form>
				<form method="post" action="${action('deny')}"><button type="submit" class="button danger">Deny payment</button></form>
				<form method="post" action="${action('expire')}"><button type="submit" class="button secondary">Let it expire</button></form>
			</div>
			${back ? `<a class="link" href="${escapeHtml(withOrder(back, record))}">Back to the merchant</a>` : ''}`;
	}

	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payment simulator · ${escapeHtml(record.orderId)}</title>
<style>
	body { font-family: system-ui, sans-serif; background: #f1f5f9; color: #0f172a; margin: 0; padding: 2rem 1rem; }
	main { max-width: 28rem; margin: 0 auto; background: #fff; border: 1px solid #e2e8f0; border-radius: .75rem; padding: 1.5rem; }
	.banner { background: #fef3c7; color: #78350f; font-size: .8rem; padding: .5rem .75rem; border-radius: .5rem; }
	h1 { font-size: 1.25rem; margin: 1rem 0 .25rem; } h2 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
	.amount { font-size: 1.75rem; font-weight: 700; margin: .25rem 0 1rem; }
	.muted { color: #475569; font-size: .875rem; margin: 0; }
	fieldset { border: 0; padding: 0; margin: 1rem 0; } legend { font-weight: 600; margin-bottom: .5rem; }
	.option { display: flex; gap: .5rem; align-items: center; border: 1px solid #cbd5e1; border-radius: .5rem; padding: .6rem .75rem; margin-bottom: .5rem; cursor: pointer; }
	.button { display: inline-block; border: 0; border-radius: .5rem; padding: .6rem 1rem; font-size: .95rem; font-weight: 600; background: #2563eb; color: #fff; cursor: pointer; text-decoration: none; }
	.button:focus-visible, .option:focus-within { outline: 3px solid #93c5fd; outline-offset: 2px; }
	.danger { background: #dc2626; } .secondary { background: #e2e8f0; color: #0f172a; }
	.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: 1rem; } .actions form { margin: 0; }
	.link { display: inline-block; margin-top: 1rem; color: #2563eb; }
	.code { font-family: ui-monospace, monospace; font-size: 1.2rem; letter-spacing: .05em; background: #f8fafc; padding: .5rem; border-radius: .5rem; }
	.result { font-size: 1.1rem; font-weight: 600; }
	label.field { display: block; font-size: .85rem; margin-top: .5rem; } label.field input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; border: 1px solid #cbd5e1; border-radius: .375rem; }
</style>
</head>
<body>
<main>
	<p class="banner">Payment simulator: no real money moves here.</p>
	<h1>Pay your order</h1>
	<p class="muted">Order ${escapeHtml(record.orderId)}</p>
	<p class="amount" data-testid="simulator-amount">${formatRupiah(record.grossAmount)}</p>
	${body}
</main>
</body>
</html>`;
}

function instructions(record: SimulatedTransaction): string {
	const channel = CHANNELS[record.channel!];
	if (channel.kind === 'bank') {
		const label = channel.bank === 'mandiri' ? 'Bill key (biller code 70012)' : 'Virtual account number';
		return `<p class="muted">${label}</p><p class="code" data-testid="va-number">${escapeHtml(record.vaNumber ?? '')}</p>
			<p class="muted">Transfer exactly ${formatRupiah(record.grossAmount)} from your bank, then choose what the bank does.</p>`;
	}
	if (channel.kind === 'card') {
		return `<label class="field">Card number<input name="card" inputmode="numeric" value="4811 1111 1111 1114" readonly></label>
			<label class="field">Expiry<input name="expiry" value="12/30" readonly></label>
			<p class="muted">A test card; nothing is charged.</p>`;
	}
	if (channel.kind === 'qris') {
		return `<p class="muted">Scan the QRIS code with any banking or e-wallet app.</p><p class="code" aria-label="QRIS code">[ QRIS ${escapeHtml(record.orderId)} ]</p>`;
	}
	return `<p class="muted">Approve the payment in the ${escapeHtml(channel.label)} app.</p>`;
}

function withOrder(target: string, record: SimulatedTransaction) {
	const url = new URL(target);
	url.searchParams.set('order_id', record.orderId);
	if (record.status) url.searchParams.set('transaction_status', record.status);
	return url.toString();
}
