import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { gradedItems } from '../../src/moderation/service';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { decode, formIn } from '../support/forms';

let ctx: TestContext;
let framework: Framework;
let moderator: TestAgent;
let auditId: number;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  const {
    auditIds: [id = 0],
  } = await roundForAuditor(ctx.services, {
    name: 'Notes round',
    moderation: { samplePercent: 100, allInadequate: false, allOutstanding: false, blind: true },
  });
  auditId = id;
  const auditor = await ctx.services.users.findByEmail(DEMO.auditor);
  await ctx.services.audits.submit(
    auditId,
    { version: 0, response: completeResponse(framework, () => 1) },
    auditor!,
    SYSTEM_ACTOR,
  );
  await ctx.services.users.add(
    { email: 'notes.moderator@example.gov.uk', displayName: 'Notes Moderator', roles: ['moderator'] },
    SYSTEM_ACTOR,
  );
  moderator = await signedInAgent(ctx, 'notes.moderator@example.gov.uk');
});
afterAll(() => ctx.close());

const page = () => `/moderation/audits/${auditId}`;
const NOTE = 'Plan reviewed late twice; the child was seen alone at every visit.';

describe('the blind moderation step', () => {
  it('shows each grade’s descriptor for each section and the overall grade, as the auditor’s form does', async () => {
    const blind = decode((await moderator.get(page()).expect(200)).text);
    for (const section of framework.sections.filter((s) => s.graded))
      for (const descriptor of Object.values(section.descriptors ?? {}))
        expect({ section: section.id, shown: blind.includes(descriptor) }).toEqual({
          section: section.id,
          shown: true,
        });
    const overall = Object.values(framework.overall.descriptors ?? {});
    for (const descriptor of overall) expect(blind).toContain(descriptor);
  });

  it('has a notes field for each section and overall; notes too long are refused beside the field', async () => {
    const html = (await moderator.get(page()).expect(200)).text;
    const items = gradedItems(framework);
    for (const item of items) expect(html).toContain(`name="notes-${item.id}"`);
    const grades = Object.fromEntries(items.map((i) => [`grade-${i.id}`, 'good']));
    const tooLong = await moderator
      .post(page())
      .type('form')
      .send({ ...formIn(html, page()), ...grades, 'notes-overall': 'x'.repeat(20001) })
      .expect(422);
    expect(tooLong.text).toContain('href="#notes-overall"');
    expect(tooLong.text).toContain('id="notes-overall-error"');
    expect(await ctx.db.knex('moderation_grade').count('* as n')).toEqual([{ n: 0 }]);
  });

  it('keeps the notes: shown at the outcome step and to admins, never to the auditor', async () => {
    const html = (await moderator.get(page()).expect(200)).text;
    const grades = Object.fromEntries(gradedItems(framework).map((i) => [`grade-${i.id}`, 'good']));
    await moderator
      .post(page())
      .type('form')
      .send({ ...formIn(html, page()), ...grades, 'notes-planning-and-review': NOTE })
      .expect(302);
    const row = await ctx.db
      .knex('moderation_grade')
      .where({ section_id: 'planning-and-review' })
      .first('moderator_notes');
    expect(row).toEqual({ moderator_notes: NOTE });

    const outcome = decode((await moderator.get(page()).expect(200)).text);
    expect(outcome).toContain(`Your notes: ${NOTE}`);

    const admin = await signedInAgent(ctx, DEMO.admin);
    const asAdmin = decode((await admin.get(`/audits/${auditId}`).expect(200)).text);
    expect(asAdmin).toContain('Moderator’s notes');
    expect(asAdmin).toContain(NOTE);

    const auditor = await signedInAgent(ctx, DEMO.auditor);
    const asAuditor = decode((await auditor.get(`/audits/${auditId}`).expect(200)).text);
    expect(asAuditor).not.toContain(NOTE);
  });
});
