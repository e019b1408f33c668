import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../src/paths';

/**
 * scripts/build.mjs (what `npm start` and `npm run build` run) on a small project laid out as this one is:
 * tsconfig.build.json writing dist/ with its record in dist/.tsbuildinfo, and src/styles/application.scss
 * (using a partial) compiled to public/stylesheets/application.css.
 */
const BUILD = path.join(ROOT_DIR, 'scripts', 'build.mjs');

let dir: string;
const at = (file: string) => path.join(dir, file);
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(at(file)), { recursive: true });
  writeFileSync(at(file), text);
};
/** Changes a file's content (after a build that took far longer than the file system's mtime resolution). */
const edit = write;
const build = (...args: string[]) =>
  execFileSync(process.execPath, [BUILD, ...args], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });

/** What a build that must fail printed. */
function failure(): string {
  try {
    build();
  } catch (err) {
    const { stdout, stderr } = err as { stdout: string; stderr: string };
    return `${stdout}${stderr}`;
  }
  throw new Error('the build passed');
}

/** Every file the build writes, with its mtime. */
function outputs(): Record<string, number> {
  const files = [
    ...readdirSync(at('dist'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))),
    'public/stylesheets/application.css',
  ];
  return Object.fromEntries(files.sort().map((file) => [file, statSync(at(file)).mtimeMs]));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'case-audit-build-'));
  write(
    'tsconfig.build.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        lib: ['ES2022'],
        types: [],
        strict: true,
        incremental: true,
        tsBuildInfoFile: 'dist/.tsbuildinfo',
        rootDir: '.',
        outDir: 'dist',
      },
      include: ['src'],
    }),
  );
  write('src/greeting.ts', "export const greeting: string = 'hello';\n");
  write(
    'src/main.ts',
    "import { greeting } from './greeting';\nexport const shout = greeting.toUpperCase();\n",
  );
  write('src/unrelated.ts', 'export const answer = 42;\n');
  write('src/styles/_colours.scss', '$brand: #1d70b8;\n');
  write('src/styles/application.scss', "@use 'colours';\n.brand { color: colours.$brand; }\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the build', () => {
  it('builds everything the first time', () => {
    expect(build()).toMatch(/TypeScript compiled, stylesheet compiled from/);
    expect(readFileSync(at('dist/src/main.js'), 'utf8')).toContain('toUpperCase');
    expect(readFileSync(at('public/stylesheets/application.css'), 'utf8')).toContain('#1d70b8');
  });

  it('rewrites nothing when nothing changed', () => {
    const before = outputs();
    expect(build()).toMatch(/TypeScript up to date, stylesheet up to date/);
    expect(outputs()).toEqual(before);
  });

  it('leaves a source file saved again unchanged to tsc, which rewrites none of the compiled files', () => {
    const before = outputs();
    edit('src/greeting.ts', readFileSync(at('src/greeting.ts'), 'utf8'));
    expect(build()).toMatch(/TypeScript (compiled|up to date), stylesheet up to date/);
    const after = outputs();
    delete before['dist/.tsbuildinfo'];
    delete after['dist/.tsbuildinfo'];
    expect(after).toEqual(before);
  });

  it('compiles a new source file, and everything when the configuration changes', () => {
    write('src/added.ts', '// a comment\nexport const added = true;\n');
    expect(build()).toMatch(/TypeScript compiled/);
    expect(readFileSync(at('dist/src/added.js'), 'utf8')).toContain('added = true');
    const config = JSON.parse(readFileSync(at('tsconfig.build.json'), 'utf8'));
    config.compilerOptions.removeComments = true;
    edit('tsconfig.build.json', JSON.stringify(config));
    expect(build()).toMatch(/TypeScript compiled/);
    expect(readFileSync(at('dist/src/added.js'), 'utf8')).not.toContain('a comment');
  });

  it('compiles a changed source file, leaving files that do not depend on it and the stylesheet as they were', () => {
    const before = outputs();
    edit('src/greeting.ts', "export const greeting: string = 'good morning';\n");
    expect(build()).toMatch(/TypeScript compiled, stylesheet up to date/);
    expect(readFileSync(at('dist/src/greeting.js'), 'utf8')).toContain('good morning');
    const after = outputs();
    expect(after['dist/src/greeting.js']).not.toBe(before['dist/src/greeting.js']);
    expect(after['dist/src/unrelated.js']).toBe(before['dist/src/unrelated.js']);
    expect(after['public/stylesheets/application.css']).toBe(before['public/stylesheets/application.css']);
  });

  it('compiles the stylesheet again when a file it uses changes', () => {
    const before = outputs();
    edit('src/styles/_colours.scss', '$brand: #00703c;\n');
    expect(build()).toMatch(/TypeScript up to date, stylesheet compiled from/);
    expect(readFileSync(at('public/stylesheets/application.css'), 'utf8')).toContain('#00703c');
    expect(outputs()['dist/src/main.js']).toBe(before['dist/src/main.js']);
    expect(outputs()['dist/src/unrelated.js']).toBe(before['dist/src/unrelated.js']);
  });

  it('writes a deleted output again', () => {
    rmSync(at('dist/src/main.js'));
    rmSync(at('public/stylesheets/application.css'));
    expect(build()).toMatch(/TypeScript compiled, stylesheet compiled from/);
    expect(readFileSync(at('dist/src/main.js'), 'utf8')).toContain('toUpperCase');
    expect(readFileSync(at('public/stylesheets/application.css'), 'utf8')).toContain('#00703c');
  });

  it('fails, saying why, on a type error, and again on the next build until it is fixed', () => {
    edit('src/main.ts', 'export const n: number = "not a number";\n');
    expect(failure()).toMatch(/src\/main\.ts.*TS2322/);
    expect(failure()).toMatch(/src\/main\.ts.*TS2322/);
    edit(
      'src/main.ts',
      "import { greeting } from './greeting';\nexport const shout = greeting.toUpperCase();\n",
    );
    expect(build()).toMatch(/TypeScript compiled/);
  });

  it('builds the stylesheet alone when asked, without compiling TypeScript', () => {
    edit('src/greeting.ts', "export const greeting: string = 'good evening';\n");
    edit('src/styles/_colours.scss', '$brand: #d4351c;\n');
    expect(build('--css')).toMatch(/^Build \(\d+\.\d s\): stylesheet compiled from/);
    expect(readFileSync(at('dist/src/greeting.js'), 'utf8')).toContain('good morning');
  });
});
