/**
 * @jpegkit/core/testing — what backend packages share to test themselves: the conformance suite, the
 * fixture set with its recorded facts, and image comparison.
 */
export { conformanceSuite, runConformance } from './conformance.js';
export type { ConformanceCase, ConformanceOptions, ConformanceReport } from './conformance.js';
export { diffImages, describeDiff } from './compare.js';
export type { ImageDiff } from './compare.js';
export { DEFAULT_FIXTURES_URL, fixtureReader, loadFixtureSet } from './fixtures.js';
export type { FixtureFacts, FixtureReader, FixtureSet, MalformedFacts } from './fixtures.js';
/** Builders of synthetic JPEG marker streams (valid headers, placeholder entropy data) for header-level tests. */
export * as jpegBuilder from './jpeg-builder.js';
export { mutateBytes } from './mutate.js';
export type { ByteMutation } from './mutate.js';
