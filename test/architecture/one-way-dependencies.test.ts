import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

// ESLint's flat config is an ES module, which Jest's CommonJS sandbox cannot load: the cases are linted by
// one Node process running ESLint with the project's own configuration, as `npm run lint` does.
const LINT_CASES = `
import { ESLint } from 'eslint';
const cases = JSON.parse(await new Promise((done) => {
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk)).on('end', () => done(text));
}));
const eslint = new ESLint();
const found = [];
for (const { file, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: file });
  found.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
}
process.stdout.write(JSON.stringify(found));
`;

interface Case {
  file: string;
  code: string;
}

/** The no-restricted-imports findings for each case's code, linted as if it were the file named. */
function restrictedImports(cases: readonly Case[]): string[][] {
  const input = JSON.stringify(cases.map(({ file, code }) => ({ file, code: `${code}\nvoid 0;\n` })));
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_CASES], {
    cwd: root,
    input,
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}

const PRIVATE = /Another feature's repository is private to it/;

const refused: [string, string, string][] = [
  ['a service', 'src/moderation/service.ts', "import { auditRepository } from '../audits/repository';"],
  ['a route', 'src/rounds/routes.ts', "import { organisationRepository } from '../organisation/repository';"],
  [
    'another repository',
    'src/calibration/repository.ts',
    "import { userRepository } from '../users/repository';",
  ],
  [
    'a nested module',
    'src/rounds/journey/step.ts',
    "import { caseRepository } from '../../cases/repository';",
  ],
  [
    'a differently named repository',
    'src/users/service.ts',
    "import { sessionRepository } from '../auth/session-repository';",
  ],
];
const allowed: [string, string, string][] = [
  [
    'its executor opened in a repository',
    'src/moderation/repository.ts',
    "import { knexOf } from '../db/query';",
  ],
  ['its own repository', 'src/moderation/service.ts', "import { moderationRepository } from './repository';"],
  [
    'another feature’s read model',
    'src/moderation/service.ts',
    "import { auditsReadModel } from '../audits/read-model';",
  ],
  [
    'a row type of another feature',
    'src/moderation/service.ts',
    "import type { AuditRecord } from '../audits/repository';",
  ],
];

const OPENING = /Only repositories \(\*repository.ts\) and src\/db\/ may open an Executor/;
const opening: [string, string, string][] = [
  ['a service', 'src/audits/service.ts', "import { knexOf } from '../db/query';"],
  ['a route', 'src/cases/routes.ts', "import { knexOf } from '../db/query';"],
  ['a nested module', 'src/rounds/journey/routes.ts', "import { knexOf } from '../../db/query';"],
];

describe('a feature’s repository is private to its feature (eslint.config.mjs)', () => {
  let found: string[][];
  beforeAll(() => {
    found = restrictedImports([...refused, ...allowed, ...opening].map(([, file, code]) => ({ file, code })));
  }, 120_000);

  it.each(refused.map((c, i) => [...c, i] as const))(
    'refuses %s using another feature’s repository',
    (...c) => {
      expect(found[c[3]]).toEqual([expect.stringMatching(PRIVATE)]);
    },
  );

  it.each(allowed.map((c, i) => [...c, refused.length + i] as const))('lets a feature use %s', (...c) => {
    expect(found[c[3]]).toEqual([]);
  });

  // A service holds Executors (transactions) to pass to repositories, never to write `tx('table')` itself:
  // the type is opaque, and opening it is refused outside repositories.
  it.each(opening.map((c, i) => [...c, refused.length + allowed.length + i] as const))(
    'refuses %s opening an Executor into queries',
    (...c) => {
      expect(found[c[3]]).toEqual([expect.stringMatching(OPENING)]);
    },
  );
});
