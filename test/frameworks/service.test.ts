import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors';
import { exportFramework } from '../../src/frameworks/spreadsheet';
import { createTestContext, type TestContext } from '../support/app';
import { eventMark, eventsSince } from '../support/events';
import { sampleFramework } from '../support/frameworks';

let ctx: TestContext;
let dir: string;
beforeAll(async () => {
  ctx = await createTestContext({ seed: false });
  dir = await mkdtemp(path.join(tmpdir(), 'case-audit-frameworks-'));
});
afterAll(async () => {
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
});

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('loading a folder of frameworks', () => {
  it('loads the good files, reports the broken ones, and carries on', async () => {
    await writeFile(path.join(dir, 'a-good.json'), JSON.stringify(sampleFramework()));
    await writeFile(path.join(dir, 'b-broken.json'), '{ "id": "broken", ');
    await writeFile(
      path.join(dir, 'c-invalid.json'),
      JSON.stringify({ ...sampleFramework(), id: 'other', sections: [] }),
    );
    await writeFile(path.join(dir, 'framework.schema.json'), '{}');
    await writeFile(path.join(dir, 'notes.txt'), 'not a framework');

    const mark = await eventMark(ctx.db.knex);
    const { loaded, problems } = await ctx.services.frameworks.loadDirectory(dir, SYSTEM_ACTOR);
    // The one good file is loaded and logged once, by the system; the others are not.
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({ action: 'framework.load', actorKind: 'system', actorUserId: null }),
    ]);
    expect(loaded.map((l) => [l.outcome, l.version.frameworkId, l.version.version])).toEqual([
      ['created', 'sample-audit', '1.0.0'],
    ]);
    expect(problems).toEqual([
      {
        file: 'b-broken.json',
        problems: [
          {
            pointer: '',
            message: 'is not valid JSON: expected a property name in double quotes at line 1, column 19',
          },
        ],
      },
      {
        file: 'c-invalid.json',
        problems: [{ pointer: '/sections', message: 'must have at least 1 item(s)' }],
      },
    ]);
    expect(ctx.services.frameworks.startupProblems()).toEqual(problems);
  });

  it('changes nothing when the same files are loaded again', async () => {
    const before = await ctx.db
      .knex('audit_event')
      .where({ action: 'framework.load' })
      .count('* as n')
      .first();
    const { loaded } = await ctx.services.frameworks.loadDirectory(dir, SYSTEM_ACTOR);
    expect(loaded.map((l) => l.outcome)).toEqual(['unchanged']);
    expect(
      await ctx.db.knex('audit_event').where({ action: 'framework.load' }).count('* as n').first(),
    ).toEqual(before);
  });

  it('reports a file whose version was loaded with other content, suggesting the next version', async () => {
    await writeFile(
      path.join(dir, 'a-good.json'),
      JSON.stringify({ ...sampleFramework(), title: 'Changed title' }),
    );
    const { loaded, problems } = await ctx.services.frameworks.loadDirectory(dir, SYSTEM_ACTOR);
    expect(loaded).toEqual([]);
    expect(problems[0]).toEqual({
      file: 'a-good.json',
      problems: [
        {
          pointer: '',
          message:
            'sample-audit version 1.0.0 is already loaded with different content. A version never changes once loaded: give the changed framework a new version number, such as 1.0.1.',
        },
      ],
    });
  });
});

describe('framework versions', () => {
  it('are refused with 409 when the same id and version come with other content', async () => {
    const error = await ctx.services.frameworks
      .load(json({ ...sampleFramework(), description: 'Other' }), 'x.json', 'upload', SYSTEM_ACTOR)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).status).toBe(409);
  });

  it('are refused with every problem listed when invalid, and nothing is stored', async () => {
    const count = await ctx.db.knex('framework_version').count('* as n').first();
    const error = (await ctx.services.frameworks
      .load(
        json({ ...sampleFramework(), version: '2.0.0', jurisdiction: 'scotland' }),
        'x.json',
        'upload',
        SYSTEM_ACTOR,
      )
      .catch((err: unknown) => err)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors).toEqual([
      { field: '/jurisdiction', message: 'must be one of england, wales, england-and-wales' },
    ]);
    expect(await ctx.db.knex('framework_version').count('* as n').first()).toEqual(count);
  });

  it('keep old versions readable, listed newest first by version number', async () => {
    for (const version of ['1.9.0', '1.10.0', '1.2.0']) {
      await ctx.services.frameworks.load(
        json({ ...sampleFramework(), version }),
        `v${version}.json`,
        'cli',
        SYSTEM_ACTOR,
      );
    }
    const [summary] = (await ctx.services.frameworks.list()).filter((f) => f.id === 'sample-audit');
    expect(summary?.versions.map((v) => v.version)).toEqual(['1.10.0', '1.9.0', '1.2.0', '1.0.0']);
    expect((await ctx.services.frameworks.getLatest('sample-audit')).version).toBe('1.10.0');
    expect((await ctx.services.frameworks.get('sample-audit', '1.0.0')).framework.version).toBe('1.0.0');
    await expect(ctx.services.frameworks.get('sample-audit', '9.9.9')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('are immutable in the database itself', async () => {
    await expect(ctx.db.knex('framework_version').update({ title: 'Tampered' })).rejects.toThrow(
      /framework versions are immutable: UPDATE is not allowed/,
    );
    await expect(ctx.db.knex('framework_version').delete()).rejects.toThrow(/DELETE is not allowed/);
  });

  it('are loaded with an audit event naming the version and its hash', async () => {
    const event = await ctx.db.knex('audit_event').where({ action: 'framework.load' }).orderBy('id').first();
    expect(event.summary.after).toMatchObject({
      frameworkId: 'sample-audit',
      version: '1.0.0',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      source: 'file',
    });
  });

  it('load from CSV and XLSX as well as JSON', async () => {
    const stored = await ctx.services.frameworks.get('sample-audit', '1.0.0');
    for (const [format, version] of [
      ['csv', '3.0.0'],
      ['xlsx', '3.1.0'],
    ] as const) {
      const data = await exportFramework({ ...stored.framework, version }, format);
      const outcome = await ctx.services.frameworks.load(data, `f.${format}`, 'upload', SYSTEM_ACTOR);
      expect(outcome).toMatchObject({ outcome: 'created', version: { version } });
    }
  });
});
