// Builds what changed, and nothing when everything is up to date: the TypeScript (tsc -b, incremental)
// and the stylesheet (Sass, only when one of the files it was compiled from has changed).
// Plain JavaScript, so it runs before anything is compiled; run from the project's root:
//   node scripts/build.mjs            TypeScript and the stylesheet
//   node scripts/build.mjs --css      the stylesheet alone (tests and `npm run dev` run the TypeScript as is)
//   node scripts/build.mjs --quiet    no summary line
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TSCONFIG = 'tsconfig.build.json';
const OUT_DIR = 'dist';
/** Where tsconfig.build.json keeps tsc's record of the last build. */
const BUILD_INFO = 'dist/.tsbuildinfo';
const STYLESHEET = 'src/styles/application.scss';
const CSS = 'public/stylesheets/application.css';
/** Every file the stylesheet was compiled from (govuk-frontend's too), with its size and mtime. */
const CSS_INPUTS = 'dist/.stylesheet-inputs.json';

const require = createRequire(import.meta.url);
const root = process.cwd();
const at = (file) => path.join(root, file);

/** tsc's record of the last build, or undefined when there is none it could use. */
function readBuildInfo() {
  try {
    return JSON.parse(readFileSync(at(BUILD_INFO), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * tsc -b decides from mtimes alone and does not notice a deleted output, so an output missing for any file
 * of the last build (read from tsc's own record of it) means building again from scratch.
 */
function outputsMissing(info) {
  const ids = (info.root ?? []).flatMap((entry) =>
    Array.isArray(entry) ? Array.from({ length: entry[1] - entry[0] + 1 }, (_, i) => entry[0] + i) : [entry],
  );
  const infoDir = path.dirname(at(BUILD_INFO));
  return ids
    .map((id) => info.fileNames?.[id - 1])
    .filter((file) => typeof file === 'string' && file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .some((file) => {
      const source = path.relative(root, path.resolve(infoDir, file));
      return !existsSync(at(path.join(OUT_DIR, source.replace(/\.ts$/, '.js'))));
    });
}

/** What the record of a build that passed, with nothing left to check or emit, holds. */
const CLEAN_RECORD = new Set([
  'fileNames',
  'fileIdsList',
  'fileInfos',
  'root',
  'options',
  'referencedMap',
  'version',
]);

/** The latest mtime of a file, or of a folder and everything in it (a folder's own changes when files come and go). */
function newestUnder(file) {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    return Infinity;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(file).reduce(
    (newest, name) => Math.max(newest, newestUnder(path.join(file, name))),
    stats.mtimeMs,
  );
}

/** A JSON file's content (its path absolute or from the project's root), or undefined if unreadable. */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(path.resolve(root, file), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The question tsc -b asks, answered without loading TypeScript (a third of a second) when the answer is
 * plainly yes, as tsc -b would give it: the last build passed with nothing pending, by this TypeScript, and
 * nothing in the folders and files it includes (added, removed or changed) or in its configuration is newer
 * than its record. Anything less plain, such as a glob in `include` or configuration that is not plain
 * JSON, is left to tsc -b.
 */
function plainlyUpToDate(info) {
  if (!info || Object.keys(info).some((key) => !CLEAN_RECORD.has(key))) return false;
  const installed = readJson(require.resolve('typescript/package.json'));
  if (info.version !== installed?.version) return false;
  const config = readJson(TSCONFIG);
  const base = typeof config?.extends === 'string' ? readJson(config.extends) : {};
  const include = config?.include;
  if (!base || base.extends !== undefined || !Array.isArray(include)) return false;
  if (include.some((entry) => typeof entry !== 'string' || /[*?{}[\]]/.test(entry))) return false;
  const built = statSync(at(BUILD_INFO)).mtimeMs;
  const watched = [TSCONFIG, config.extends ?? TSCONFIG, ...include];
  return watched.every((entry) => newestUnder(at(entry)) < built);
}

/**
 * Runs tsc -b in a child process (so the stylesheet compiles meanwhile), unless the build is plainly up to
 * date. Resolves to what it did, from whether tsc wrote its record, or to undefined when it failed (tsc has
 * printed why).
 */
function buildTypeScript() {
  const info = readBuildInfo();
  if (plainlyUpToDate(info) && !outputsMissing(info)) return Promise.resolve('up to date');
  if (info && outputsMissing(info)) rmSync(at(BUILD_INFO), { force: true });
  const before = stamp(at(BUILD_INFO));
  const tsc = require.resolve('typescript/bin/tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-b', TSCONFIG], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) =>
      resolve(code !== 0 ? undefined : stamp(at(BUILD_INFO)) === before ? 'up to date' : 'compiled'),
    );
    child.on('error', (err) => {
      console.error(err);
      resolve(undefined);
    });
  });
}

function stamp(file) {
  try {
    const stats = statSync(file);
    return `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function sassVersion() {
  const main = require.resolve('sass');
  return JSON.parse(readFileSync(path.join(path.dirname(main), 'package.json'), 'utf8')).version;
}

/** Up to date when the CSS and every input are as they were when it was written, by the same Sass. */
function stylesheetUpToDate() {
  let record;
  try {
    record = JSON.parse(readFileSync(at(CSS_INPUTS), 'utf8'));
  } catch {
    return false;
  }
  return (
    record.entry === STYLESHEET &&
    record.sass === sassVersion() &&
    record.css === stamp(at(CSS)) &&
    Object.entries(record.inputs ?? {}).every(([file, was]) => stamp(file) === was)
  );
}

/** Compiles the stylesheet unless it is up to date; returns what it did. */
async function buildStylesheet() {
  if (stylesheetUpToDate()) return 'up to date';
  const sass = await import('sass');
  const result = sass.compile(at(STYLESHEET), {
    style: 'compressed',
    sourceMap: false,
    importers: [new sass.NodePackageImporter(root)],
  });
  mkdirSync(path.dirname(at(CSS)), { recursive: true });
  writeFileSync(at(CSS), `${result.css}\n`);
  // This script is an input too: how it compiles is part of what the CSS is.
  const inputs = Object.fromEntries(
    [...result.loadedUrls, new URL(import.meta.url)]
      .filter((url) => url.protocol === 'file:')
      .map((url) => fileURLToPath(url))
      .map((file) => [file, stamp(file)]),
  );
  mkdirSync(path.dirname(at(CSS_INPUTS)), { recursive: true });
  writeFileSync(
    at(CSS_INPUTS),
    JSON.stringify({ entry: STYLESHEET, sass: sassVersion(), css: stamp(at(CSS)), inputs }),
  );
  return `compiled from ${Object.keys(inputs).length} files`;
}

async function main() {
  const started = performance.now();
  const cssOnly = process.argv.includes('--css');
  const quiet = process.argv.includes('--quiet');
  const typescript = cssOnly ? Promise.resolve('not asked for') : buildTypeScript();
  let stylesheet;
  try {
    stylesheet = await buildStylesheet();
  } catch (err) {
    console.error(`The stylesheet did not compile: ${err instanceof Error ? err.message : String(err)}`);
    await typescript;
    process.exitCode = 1;
    return;
  }
  const compiled = await typescript;
  if (compiled === undefined) {
    process.exitCode = 1;
    return;
  }
  if (!quiet)
    console.log(
      `Build (${((performance.now() - started) / 1000).toFixed(1)} s): ${
        cssOnly ? '' : `TypeScript ${compiled}, `
      }stylesheet ${stylesheet}.`,
    );
}

await main();
