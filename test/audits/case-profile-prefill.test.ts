import type TestAgent from 'supertest/lib/agent';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { PREFILLED_FRAMEWORK, roundForAuditor } from '../support/audits';
import { decode, formIn } from '../support/forms';

let ctx: TestContext;
let auditor: TestAgent;
let auditId: number;
let profile: { caseType: string; startDate: string; disability: string | null };

const SECTION = 'case-profile';
const page = () => `/audits/${auditId}/sections/${SECTION}`;
const OTHER_TYPE: Record<string, string> = { 'child-in-need': 'child-protection' };

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  const { auditIds } = await roundForAuditor(ctx.services, {
    name: 'Pre-filled round',
    framework: PREFILLED_FRAMEWORK,
    cases: 40,
  });
  // A child in need: the case list gives its case type, start date and disability.
  const rows: { id: number; caseType: string; startDate: string; disability: string | null }[] = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .whereIn('a.id', auditIds)
    .select(
      'a.id',
      'c.case_type as caseType',
      ctx.db.knex.raw(`to_char(c.start_date, 'YYYY-MM-DD') as "startDate"`),
      'c.disability',
    );
  const chosen = rows.find((r) => r.caseType === 'child-in-need' && r.startDate);
  if (!chosen) throw new Error('no child in need in the sample');
  ({ id: auditId, ...profile } = chosen);
  auditor = await signedInAgent(ctx, DEMO.auditor);
});
afterAll(() => ctx.close());

const saved = async () =>
  (await ctx.db.knex('audit_revision').where({ audit_id: auditId }).orderBy('revision', 'desc').first())
    ?.response?.sections?.[SECTION];
const version = async () =>
  (await ctx.db.knex('audit').where({ id: auditId }).first('lock_version')).lock_version;

/** The section's form as shown, with every question the import does not answer given an answer. */
async function shownForm(): Promise<Record<string, string | string[]>> {
  const html = (await auditor.get(page()).expect(200)).text;
  return {
    'q-prof-sw-count': '2',
    'q-prof-in-care': 'no',
    'q-prof-missing': 'no',
    'q-prof-legal-status': 'none',
    ...formIn(html, page()),
    action: 'next',
  };
}

describe('the case-profile section, pre-filled from the case list', () => {
  it('shows the imported case type, start date and disability already chosen, and says where they came from', async () => {
    const html = (await auditor.get(page()).expect(200)).text;
    const form = formIn(html, page());
    const [year, month, day] = profile.startDate.split('-');
    expect(form).toMatchObject({
      'q-prof-case-type': profile.caseType,
      'q-prof-opened-day': String(Number(day)),
      'q-prof-opened-month': String(Number(month)),
      'q-prof-opened-year': year,
      ...(profile.disability === 'yes' || profile.disability === 'no'
        ? { 'q-prof-disability': profile.disability }
        : {}),
    });
    expect(decode(html)).toContain('Filled in from the case list: check it against the case record.');
    expect(html).not.toContain('differs from the case list');
  });

  it('saves the imported answers as they are, with no difference to confirm', async () => {
    await auditor
      .post(page())
      .type('form')
      .send(await shownForm())
      .expect(302);
    expect(await saved()).toMatchObject({
      answers: { 'prof-case-type': profile.caseType, 'prof-opened': profile.startDate },
    });
    expect((await saved()).differences).toBeUndefined();
  });

  it('refuses an answer that contradicts the import until the auditor confirms it and says why', async () => {
    const before = await version();
    const changed = { ...(await shownForm()), 'q-prof-case-type': OTHER_TYPE[profile.caseType] as string };
    const warned = await auditor.post(page()).type('form').send(changed).expect(422);
    const text = decode(warned.text);
    expect(text).toContain('Your answer differs from the case list, which says: Child in need.');
    expect(text).toContain('I have checked the case record: it differs from the case list');
    expect(warned.text).toContain('href="#confirm-prof-case-type"');
    expect(warned.text).toContain('id="confirm-prof-case-type-error"');
    expect(await version()).toBe(before);

    const noReason = await auditor
      .post(page())
      .type('form')
      .send({ ...formIn(warned.text, page()), action: 'next', 'confirm-prof-case-type': 'yes' })
      .expect(422);
    expect(noReason.text).toContain('Say why the case record differs from the case list');
    expect(await version()).toBe(before);

    const reason = 'The child protection plan started last week, after the list was exported.';
    await auditor
      .post(page())
      .type('form')
      .send({
        ...formIn(noReason.text, page()),
        action: 'next',
        'confirm-prof-case-type': 'yes',
        'difference-prof-case-type': reason,
      })
      .expect(302);
    expect(await saved()).toMatchObject({
      answers: { 'prof-case-type': 'child-protection' },
      differences: { 'prof-case-type': reason },
    });
    // Shown again with the confirmation kept.
    const again = formIn((await auditor.get(page()).expect(200)).text, page());
    expect(again).toMatchObject({ 'confirm-prof-case-type': ['yes'], 'difference-prof-case-type': reason });
  });

  it('keeps an unconfirmed difference in the draft saved as you type, and the check page asks for it', async () => {
    const form = await shownForm();
    delete form['confirm-prof-case-type'];
    delete form['difference-prof-case-type'];
    await auditor
      .post(page())
      .type('form')
      .set('Accept', 'application/json')
      .send({ ...form, action: undefined, 'q-prof-case-type': 'child-in-care' })
      .expect(200);
    expect(await saved()).toMatchObject({ answers: { 'prof-case-type': 'child-in-care' } });
    expect((await saved()).differences).toBeUndefined();

    const check = await auditor.get(`/audits/${auditId}/check`).expect(200);
    const refused = await auditor
      .post(`/audits/${auditId}/submit`)
      .type('form')
      .send(formIn(check.text, `/audits/${auditId}/submit`))
      .expect(422);
    expect(decode(refused.text)).toContain(
      'Case profile is not complete: Confirm why "Case type at the time of audit" differs from the case list (Child in need)',
    );
    expect(decode(refused.text)).toContain(`href="${page()}?from=check#question-prof-case-type"`);
    const landed = await auditor.get(`${page()}?from=check`).expect(200);
    expect(landed.text).toContain('id="confirm-prof-case-type-error"');
  });
});
