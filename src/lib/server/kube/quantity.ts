// Kubernetes resource quantities: written from a plan's sizes, and read ('500m', '2Gi',
// '1e3', '250000000n') as numbers.

export const cpuQuantity = (milli: number) => `${milli}m`;
export const memoryQuantity = (mb: number) => `${mb}Mi`;
export const storageQuantity = (gb: number) => `${gb}Gi`;

const UNITS: Record<string, number> = {
	'': 1,
	// metrics-server reports CPU in nanocores ('123456789n').
	n: 1e-9,
	u: 1e-6,
	m: 1e-3,
	k: 1e3,
	M: 1e6,
	G: 1e9,
	T: 1e12,
	P: 1e15,
	Ki: 2 ** 10,
	Mi: 2 ** 20,
	Gi: 2 ** 30,
	Ti: 2 ** 40,
	Pi: 2 ** 50
};

/** A Kubernetes quantity ('500m', '2Gi', '1e3') as a number, or NaN. */
export function parseQuantity(quantity: string | number | undefined): number {
	if (typeof quantity === 'number') return quantity;
	const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(quantity ?? '');
	if (!match || !(match[2] in UNITS)) return Number.NaN;
	return Number(match[1]) * UNITS[match[2]];
}
