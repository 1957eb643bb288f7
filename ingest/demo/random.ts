/**
 * The demo's own seeded random numbers. `Math.random` cannot be seeded, and the demo promises that
 * one seed always gives the same rows, so every random choice goes through this generator.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, good statistical
 * quality and only 32-bit integer arithmetic, which JS does exactly on every platform. The
 * continuous helpers (`normal`, `logNormal`) use `Math.log`/`Math.cos`, whose last bit may differ
 * between JS engines, so the promise is "same seed, same Node version, same rows"; times derived from
 * them are rounded to whole seconds or minutes, which hides any such difference in practice.
 */

/** splitmix32 finaliser: spreads nearby seeds (0, 1, 2…) into unrelated states. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** `stream` selects an independent sequence for the same seed (organisation, calendar, Slack…). */
  constructor(seed: number, stream = 0) {
    const base = mix32(seed >>> 0);
    this.#a = mix32(base ^ mix32(stream + 1));
    this.#b = mix32(this.#a + 1);
    this.#c = mix32(this.#b + 2);
    this.#d = 1;
    // The first outputs of a freshly seeded sfc32 are still correlated with the seed.
    for (let round = 0; round < 15; round++) this.uint32();
  }

  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An item chosen with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let target = this.next() * total;
    for (const [item, weight] of entries) {
      target -= weight;
      if (target < 0) return item;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** `count` distinct items (fewer when the list is shorter), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const take = Math.min(count, copy.length);
    for (let index = 0; index < take; index++) {
      const swap = index + Math.floor(this.next() * (copy.length - index));
      const chosen = copy[swap] as T;
      copy[swap] = copy[index] as T;
      copy[index] = chosen;
    }
    copy.length = take;
    return copy;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median; `spread` is the sigma of the underlying normal. */
  logNormal(median: number, spread: number): number {
    return median * Math.exp(spread * this.normal());
  }

  /** Poisson-distributed count with mean `mean` (normal approximation above 40). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.next();
    while (product > limit) {
      count += 1;
      product *= this.next();
    }
    return count;
  }

  /** An uppercase alphanumeric string, the alphabet of Slack's ids. */
  code(length: number): string {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let text = '';
    for (let index = 0; index < length; index++) text += alphabet[this.uint32() % 36] ?? '0';
    return text;
  }
}
