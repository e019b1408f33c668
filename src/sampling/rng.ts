import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** FNV-1a: a stable 32-bit number from text, to give each stratum its own stream of random numbers. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export interface Rng {
  /** A whole number from 0 to max - 1, uniformly. */
  below(max: number): number;
}

/** A seeded generator (xoroshiro128+): the same seed and label always give the same numbers. */
export function createRng(seed: number, label = ''): Rng {
  const generator = xoroshiro128plus(hash32(`${seed}:${label}`));
  return { below: (max) => uniformInt(generator, 0, max - 1) };
}

/** A fresh seed for a new round: any 32-bit whole number. */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
