import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ResponseSchemas } from '../src/frameworks/response-validator';
import { checkFrameworkData } from '../src/frameworks/spreadsheet';
import type { FrameworkDocument, Question } from '../src/frameworks/types';
import { rowsOf, type ResultRow } from './results';

/**
 * Loads and compiles 200 framework files of 200 questions each (10 sections of 20, every question type,
 * relevance conditions), as the server does at start-up: read, parse, check against the meta-schema,
 * semantic checks, normalise, hash, and compile each to its draft and submission response schemas (JSON
 * Schema documents). Then, separately, what the first response to each version costs: ajv turning the two
 * schemas into validator functions, which the service does on first use and caches. Reference: reading and
 * JSON.parse of the same files, in the same run.
 */

const FILES = 200;
const SECTIONS = 10;
const PER_SECTION = 20;
const TARGET_MS = 2000;

function question(s: number, q: number): Question {
  const id = `s${s}-q${q}`;
  const base = {
    id,
    text: `Question ${q + 1} of section ${s + 1}: what does the record show?`,
    guidance: 'Look at the last six months of the record.',
  };
  switch (q % 7) {
    case 0:
      return { ...base, type: 'yes-no-na' };
    case 1:
      return {
        ...base,
        type: 'single-choice',
        options: [
          { value: 'a', label: 'Always' },
          { value: 'b', label: 'Sometimes' },
          { value: 'c', label: 'Never' },
        ],
      };
    case 2:
      return {
        ...base,
        type: 'multiple-choice',
        options: [
          { value: 'health', label: 'Health' },
          { value: 'school', label: 'School' },
          { value: 'police', label: 'Police' },
        ],
      };
    case 3:
      return { ...base, type: 'text', relevantWhen: { question: `s${s}-q${q - 3}`, equals: 'no' } };
    case 4:
      return { ...base, type: 'number', min: 0, max: 100, integer: true };
    case 5:
      return { ...base, type: 'date', required: false };
    default:
      return { ...base, type: 'grade' };
  }
}

export function framework(n: number): FrameworkDocument {
  return {
    id: `bench-framework-${n}`,
    version: '1.0.0',
    title: `Benchmark framework ${n}`,
    description: 'Generated for the loader benchmark.',
    jurisdiction: 'england',
    caseTypes: ['child-in-need', 'child-protection'],
    sections: Array.from({ length: SECTIONS }, (_, s) => ({
      id: `section-${s}`,
      title: `Section ${s + 1}`,
      guidance: 'What good looks like in this area.',
      descriptors: {
        outstanding: 'Exceptional.',
        good: 'Good.',
        'requires-improvement': 'Not yet good.',
        inadequate: 'Serious failures.',
      },
      questions: Array.from({ length: PER_SECTION }, (_, q) => question(s, q)),
    })),
    overall: { rule: 'capped-by-sections', cappedBy: ['section-0', 'section-1'] },
    remediation: {
      triggers: [
        { on: 'overall', grades: ['inadequate'], responseWorkingDays: 5, completionWorkingDays: 20 },
      ],
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

export async function benchFrameworks(): Promise<ResultRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'case-audit-bench-frameworks-'));
  try {
    for (let n = 0; n < FILES; n++)
      writeFileSync(path.join(dir, `f${n}.json`), JSON.stringify(framework(n), null, 2));
    const files = readdirSync(dir).map((file) => path.join(dir, file));
    const bytes = files.reduce((total, file) => total + readFileSync(file).length, 0);

    let started = performance.now();
    for (const file of files) JSON.parse(readFileSync(file, 'utf8'));
    const parseMs = performance.now() - started;

    started = performance.now();
    const frameworks = [];
    for (const file of files) {
      const result = await checkFrameworkData(readFileSync(file), file);
      if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.problems.slice(0, 3))}`);
      frameworks.push(result.framework);
    }
    const checkMs = performance.now() - started;

    started = performance.now();
    const schemas = new ResponseSchemas();
    let schemaBytes = 0;
    for (const f of frameworks) {
      schemaBytes +=
        JSON.stringify(schemas.schema(f, 'draft')).length +
        JSON.stringify(schemas.schema(f, 'submit')).length;
    }
    const generateMs = performance.now() - started;
    const totalMs = checkMs + generateMs;

    started = performance.now();
    for (const f of frameworks) {
      schemas.validator(f, 'draft');
      schemas.validator(f, 'submit');
    }
    const validatorsMs = performance.now() - started;

    const line = (label: string, ms: number, note = '') =>
      console.log(`  ${label.padEnd(54)}${seconds(ms).padStart(9)}${note}`);
    console.log(
      `\nFrameworks: ${FILES} files of ${SECTIONS * PER_SECTION} questions (${(bytes / 1024 / 1024).toFixed(1)} MB; Node ${process.version})`,
    );
    line('read + JSON.parse (reference)', parseMs);
    line('read + parse + check + normalise + hash', checkMs);
    line(
      `compile to draft and submission JSON Schemas (${(schemaBytes / 1024 / 1024).toFixed(1)} MB)`,
      generateMs,
    );
    line(
      'load and compile, in all',
      totalMs,
      `  ${(totalMs / FILES).toFixed(1)} ms per framework; target under ${seconds(TARGET_MS)}: ${totalMs < TARGET_MS ? 'met' : 'NOT met'}`,
    );
    line(
      'then, on first use: ajv validators for both variants',
      validatorsMs,
      `  ${(validatorsMs / FILES).toFixed(1)} ms per framework, once per version`,
    );
    console.log(`  ratio of load and compile to reference: ${(totalMs / parseMs).toFixed(1)}x`);
    const row = rowsOf('frameworks');
    const size = `${FILES} files of ${SECTIONS * PER_SECTION} questions`;
    return [
      row(`reference: read + JSON.parse, ${size}`, parseMs / 1000, 's'),
      row(`load and compile, ${size}`, totalMs / 1000, 's', {
        reference: parseMs / 1000,
        target: `< ${seconds(TARGET_MS)}`,
        met: totalMs < TARGET_MS,
      }),
      row(`ajv validators on first use, ${size}`, validatorsMs / 1000, 's'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
