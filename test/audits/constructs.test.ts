import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import type { AuditResponse, SectionResponse } from '../../src/audits/response';
import type { User } from '../../src/users/user';
import { taskList } from '../../src/audits/views';
import { completeResponse } from '../../src/demo/responses';
import { createTestContext, DEMO, tokenFor, type TestContext } from '../support/app';
import { roundForAuditor } from '../support/audits';
import { csvRows } from '../support/exports';
import { CONSTRUCTS_DOCUMENT, loadConstructsFramework } from './constructs-framework';

/**
 * Audits of a framework using the newer constructs, against PostgreSQL: a section marked not applicable
 * submits without answers and is in no statistic; a section whose case condition does not hold is pruned;
 * required evidence is asked for; an answer that raises an action opens remediation.
 */

let ctx: TestContext;
let auditor: User;
let auditIds: number[];
const FW = { id: CONSTRUCTS_DOCUMENT.id, version: CONSTRUCTS_DOCUMENT.version };
const as = () => ({ ...SYSTEM_ACTOR, userId: auditor.id });

describe('audits of the newer constructs', () => {
  beforeAll(async () => {
    ctx = await createTestContext({ frameworks: true });
    await loadConstructsFramework(ctx.services);
    auditor = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
    ({ auditIds } = await roundForAuditor(ctx.services, {
      framework: FW,
      name: 'Constructs round',
      moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
    }));
  }, 120_000);
  afterAll(() => ctx.close());

  /** A complete response; `visits` as given (marked not applicable, or answered). */
  const response = (visits: SectionResponse | Record<string, unknown>) => ({
    sections: {
      visits,
      care: { grade: 'good', answers: { plan: 'yes' } },
      practice: { grade: 'requires-improvement', answers: { police: 'no' } },
      'practice-a': { grade: 'requires-improvement', answers: { assessed: 'yes' } },
    },
    // A client's own case facts are replaced by the case's.
    case: { caseType: 'child-in-care', ageYears: 15 },
  });

  const submit = (auditId: number, body: unknown) =>
    ctx.services.audits.submit(auditId, { version: 0, response: body }, auditor, as());

  async function storedResponse(auditId: number): Promise<AuditResponse> {
    const row = await ctx.db
      .knex('audit_revision')
      .where({ audit_id: auditId, status: 'submitted' })
      .first('response');
    return row.response as AuditResponse;
  }

  describe('an audit with a section not applicable', () => {
    let auditId: number;
    beforeAll(async () => {
      auditId = auditIds[0] as number;
      await submit(auditId, response({ notApplicable: { reason: 'No visits were due in the period.' } }));
    });

    it('submits without answers to it, storing neither its grade nor the case facts', async () => {
      const stored = await storedResponse(auditId);
      expect(stored.sections?.visits).toEqual({
        notApplicable: { reason: 'No visits were due in the period.' },
      });
      expect(stored).not.toHaveProperty('case');
      const grades = await ctx.db
        .knex('audit_section_grade as g')
        .join('audit_revision as r', 'r.id', 'g.audit_revision_id')
        .where('r.audit_id', auditId)
        .pluck('g.section_id');
      expect(grades).not.toContain('visits');
      expect(grades).toContain('practice');
    });

    it('leaves it out of the report figures', async () => {
      const director = (await ctx.services.users.findByEmail(DEMO.director)) as User;
      const { figures } = await ctx.services.reporting.summary(director, {
        from: londonDate(),
        to: londonDate(),
      });
      const visits = figures.bySection.find((s) => s.frameworkId === FW.id && s.sectionId === 'visits');
      const counted = visits?.distribution.levels.reduce((n, l) => n + l.count, 0) ?? 0;
      expect(counted).toBe(0);
      const practice = figures.bySection.find((s) => s.frameworkId === FW.id && s.sectionId === 'practice');
      expect(practice?.distribution.levels.find((l) => l.code === 'requires-improvement')?.count).toBe(1);
    });

    it('leaves its grade blank in the export', async () => {
      const token = await tokenFor(ctx, DEMO.admin);
      const res = await request(ctx.app)
        .get(`/api/exports/audit-results.csv?framework=${FW.id}`)
        .auth(token, { type: 'bearer' })
        .expect(200);
      const [header, ...rows] = csvRows(res);
      const row = rows.find(
        (r) => Number(r[(header as string[]).indexOf('audit_id')]) === auditId,
      ) as string[];
      expect(row[(header as string[]).indexOf('section_grade:visits')]).toBe('');
      expect(row[(header as string[]).indexOf('section_grade:practice')]).toBe('requires-improvement');
    });
  });

  describe('the task list of an audit of the constructs', () => {
    it('says a section whose case condition does not hold does not apply, and why', async () => {
      for (const auditId of auditIds.slice(3, 8)) {
        const detail = await ctx.services.audits.load(auditId, auditor);
        const { caseType, ageYears } = detail.audit.profile;
        const applies = caseType === 'child-in-care' && (ageYears ?? 0) >= 10;
        const care = taskList(detail).sections.find((s) => s.title === 'Care planning');
        expect(care?.status.text).toBe(applies ? 'Not yet started' : 'Does not apply');
        if (!applies) expect(care?.hint).toMatch(/^Only asked when the case type is child-in-care/);
      }
    });
  });

  describe('the constructs at submission', () => {
    test.each<[string, Record<string, unknown>, RegExp]>([
      ['a not-applicable mark without a reason', { notApplicable: { reason: ' ' } }, /visits/],
      [
        'an answer without its required evidence',
        { grade: 'good', answers: { 'seen-alone': 'yes' } },
        /evidence/,
      ],
    ])('refuses %s', async (_name, visits, field) => {
      const auditId = auditIds[1] as number;
      await expect(submit(auditId, response(visits))).rejects.toMatchObject({
        fieldErrors: expect.arrayContaining([
          expect.objectContaining({ field: expect.stringMatching(field) }),
        ]),
      });
    });

    it('opens remediation with the recommended action an answer raises, logging it', async () => {
      const auditId = auditIds[2] as number;
      await submit(
        auditId,
        response({
          grade: 'good',
          answers: { 'seen-alone': 'no' },
          evidence: { 'seen-alone': 'Visit notes, March.' },
        }),
      );
      const record = await ctx.db.knex('remediation_record').where({ audit_id: auditId }).first();
      expect(record.findings).toEqual([
        expect.objectContaining({
          on: 'answer',
          questionId: 'seen-alone',
          grade: 'no',
          action: 'See the child alone within the next visit.',
          difference: 'The child can say what life is like without an adult present.',
          workingDays: 10,
        }),
      ]);
      const logged = await ctx.db
        .knex('audit_event')
        .where({ action: 'remediation.open', record_id: record.id })
        .count<{ count: string }[]>('* as count');
      expect(Number(logged[0]?.count)).toBe(1);
    });
  });

  describe('a made-up audit of the constructs', () => {
    it('submits for any case, the service leaving out what does not apply to it', async () => {
      const { framework } = await ctx.services.frameworks.get(FW.id, FW.version);
      for (const auditId of auditIds.slice(3, 6))
        await expect(
          submit(
            auditId,
            completeResponse(framework, () => 1),
          ),
        ).resolves.toMatchObject({ revision: 1 });
    });
  });
});
