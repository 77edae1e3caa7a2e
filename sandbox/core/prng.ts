/**
 * Small deterministic PRNG (mulberry32). The data set and probabilistic faults must be
 * reproducible from a seed, which Math.random cannot give.
 */
export class Prng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	/** Distinct items, order randomised. */
	sample<T>(items: readonly T[], count: number): T[] {
		const copy = [...items];
		const out: T[] = [];
		while (out.length < count && copy.length > 0) {
			out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
		}
		return out;
	}

	hex(length: number): string {
		let s = '';
		while (s.length < length) s += Math.floor(this.next() * 16).toString(16);
		return s;
	}

	/** UUID-shaped (version 4 layout) but deterministic. */
	uuid(): string {
		const h = this.hex(32).split('');
		h[12] = '4';
		h[16] = '89ab'[parseInt(h[16], 16) % 4];
		const s = h.join('');
		return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
	}

	digits(length: number): string {
		let s = '';
		for (let i = 0; i < length; i++) s += String(Math.floor(this.next() * 10));
		return s;
	}
}
