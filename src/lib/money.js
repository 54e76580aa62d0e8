// Money facts shared by the server, the browser and the launcher (plain JavaScript, so
// `scripts/start.js` can read it before anything is built). Amounts are whole rupiah.

/** The smallest top-up, by the product brief; the largest is configuration (MINISPOD_TOPUP_MAX). */
export const MIN_TOP_UP = 10_000;

/** Top-ups are whole thousands of rupiah, so amounts read cleanly on statements and receipts. */
export const TOP_UP_STEP = 1_000;

/** A bound no real amount reaches, so absurd input is refused before any rule looks at it. */
export const AMOUNT_SANITY_MAX = 1_000_000_000_000;
