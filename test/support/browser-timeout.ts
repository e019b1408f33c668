// A browser journey walks many pages, each checked with axe: on a loaded machine that takes minutes.
jest.setTimeout(180_000);
