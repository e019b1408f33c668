import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NATIVE } from '../src/cases/formats';
import { checkFrameworkJson } from '../src/frameworks/load';
import { ROOT_DIR } from '../src/paths';

describe('documentation', () => {
  it('gives a framework example in the README that loads', () => {
    const readme = readFileSync(path.join(ROOT_DIR, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .filter((block) => block.includes('"$schema": "./framework.schema.json"'));
    expect(examples).toHaveLength(1);
    const result = checkFrameworkJson(examples[0] as string);
    expect(result.ok ? 'ok' : result.problems).toBe('ok');
  });

  it('documents every column of the native case list, in order', () => {
    const readme = readFileSync(path.join(ROOT_DIR, 'README.md'), 'utf8');
    const section = readme.split('### The native CSV')[1]?.split('###')[0] ?? '';
    const documented = [...section.matchAll(/^\| `([a-z_]+)`/gm)].map((m) => m[1]);
    expect(documented).toEqual(NATIVE.columns.map((c) => c.name));
  });
});
