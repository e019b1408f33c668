import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkFrameworkJson } from './load';

/**
 * The hash of each shipped framework's normalised form, as the code before the new constructs computed it:
 * stored versions are identified by these hashes, so normalising an old document must never change.
 */
const HASHES: Record<string, string> = {
  'care-leavers-pathway-1.1.0.json': '012de6c2e99900a7d3971d0f3ef01f00be42251e1e97437f2dfe67a667cd5f84',
  'care-leavers-pathway.json': '025b15b98ffb3ff71e9c5733cc4edf2e0842ca96295045cfc08a8e35f055a365',
  'child-protection-thematic-1.1.0.json': '7ed9078986fe04c0c3e6cc5f0e1db22c6d58a89414b09b6658513a4b653d51d7',
  'child-protection-thematic.json': 'ee94b8247739b6b36f6d55933964c0fe1469e29c248301c0aa925e0919a08107',
  'childrens-social-care-case-audit-1.1.0.json':
    '2ff9ef8a158f60bd368e430958d80ca459f74a9024a59e88af0cf07c757300b3',
  'childrens-social-care-case-audit.json': 'e7d316f4199418bd705ceaae04f3fb49a17cff08dda9e457f29130f00ba8cae9',
};

const dir = join(__dirname, '../../audit-frameworks');

describe('shipped frameworks normalise as before', () => {
  it.each(Object.entries(HASHES))('%s keeps its hash', (file, hash) => {
    const result = checkFrameworkJson(readFileSync(join(dir, file), 'utf8'));
    expect(result.ok && result.hash).toBe(hash);
  });

  it('covers every framework that was shipped', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'framework.schema.json');
    expect(files.filter((f) => f in HASHES).sort()).toEqual(Object.keys(HASHES).sort());
  });
});
