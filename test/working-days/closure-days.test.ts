import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { londonDate, longDate } from '../../src/dates';
import { addWorkingDays, isWeekend } from '../../src/working-days/arithmetic';
import { bankHolidays } from '../../src/working-days/holidays';
import {
  createTestContext,
  csrfTokenIn,
  DEMO,
  signedInAgent,
  tokenFor,
  type TestContext,
} from '../support/app';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
let admin: TestAgent;
let adminId: number;
let adminToken: string;
beforeAll(async () => {
  ctx = await createTestContext();
  admin = await signedInAgent(ctx, DEMO.admin);
  adminId = (await ctx.services.users.findByEmail(DEMO.admin))!.id;
  adminToken = await tokenFor(ctx, DEMO.admin);
});
afterAll(() => ctx.close());

const today = londonDate();
const year = Number(today.slice(0, 4));
const holidays = bankHolidays(year, year + 2);
/** The first weekday that is not a bank holiday, `days` or more days from today. */
const weekdayFrom = (days: number) => addWorkingDays(londonDate(days), 0, holidays);
const nextSaturday = () => {
  let day = 1;
  while (!isWeekend(londonDate(day))) day += 1;
  return londonDate(day);
};
const nextBankHoliday = () => [...holidays].find((day) => day > today) as string;
/** A date as the GOV.UK date input sends it: "29", "12", "2026". */
const parts = (day: string): Record<string, string> => {
  const [y, m, d] = day.split('-').map(Number);
  return { 'day-day': String(d), 'day-month': String(m), 'day-year': String(y) };
};

const rows = () => ctx.db.knex('council_closure_day').orderBy('day').select('day', 'reason');
const api = {
  get: (path: string, token = adminToken) =>
    request(ctx.app).get(path).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object, token = adminToken) =>
    request(ctx.app).post(path).set('Authorization', `Bearer ${token}`).send(body),
  delete: (path: string, token = adminToken) =>
    request(ctx.app).delete(path).set('Authorization', `Bearer ${token}`),
};

/** Posts the add form as the page would, with its CSRF token, expecting this status. */
async function postForm(agent: TestAgent, fields: Record<string, string>, status: number) {
  const page = await agent.get('/admin/closure-days/new').expect(200);
  return agent
    .post('/admin/closure-days/new')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), ...fields })
    .expect(status);
}

describe('an admin on the closure days pages', () => {
  it('finds them from the administration page', async () => {
    const home = await admin.get('/admin').expect(200);
    expect(home.text).toContain('href="/admin/closure-days"');
    const list = await admin.get('/admin/closure-days').expect(200);
    expect(list.text).toContain('There are no upcoming closure days');
    expect(list.text).toContain(longDate(nextBankHoliday()));
  });

  it('adds a day with its reason, audited, and due dates skip it', async () => {
    const day = weekdayFrom(40);
    const before = await ctx.services.workingDays.calendar();
    expect(before.isWorkingDay(day)).toBe(true);
    const mark = await eventMark(ctx.db.knex);
    const res = await postForm(
      admin,
      {
        ...parts(day),
        reason: '  Christmas shutdown ',
      },
      303,
    );
    expect(res.headers.location).toBe('/admin/closure-days');
    expect(await rows()).toEqual([{ day, reason: 'Christmas shutdown' }]);
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        action: 'council_closure_day.create',
        actorUserId: adminId,
        recordType: 'council_closure_day',
        recordId: day,
        summary: { after: { day, reason: 'Christmas shutdown' } },
      }),
    ]);

    const list = await admin.get('/admin/closure-days').expect(200);
    expect(list.text).toContain(`${longDate(day)} is a closure day`);
    expect(list.text).toContain('Christmas shutdown');
    expect(list.text).toContain(`action="/admin/closure-days/${day}/remove"`);

    const calendar = await ctx.services.workingDays.calendar();
    expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.closureDays).toEqual([day]);
    // One working day fewer from today to the day itself: it no longer counts.
    expect(calendar.workingDaysBetween(today, day)).toBe(before.workingDaysBetween(today, day) - 1);

    const log = await admin.get('/admin/audit-log?recordType=council_closure_day').expect(200);
    expect(log.text).toContain(`added the council closure day ${longDate(day)} (Christmas shutdown)`);
  });

  it.each([
    [
      'nothing',
      {},
      { day: 'Enter the date the council is closed', reason: 'Enter why the council is closed' },
    ],
    [
      'a date that is not real and a blank reason',
      { 'day-day': '31', 'day-month': '2', 'day-year': String(year + 1), reason: '   ' },
      { day: 'must be a real date', reason: 'Enter why the council is closed that day' },
    ],
    ['a weekend', { ...parts(nextSaturday()), reason: 'Shut' }, { day: 'must be a weekday' }],
    ['a bank holiday', { ...parts(nextBankHoliday()), reason: 'Shut' }, { day: 'is a bank holiday' }],
    [
      'a day that has passed',
      { ...parts(londonDate(-3)), reason: 'Shut' },
      { day: 'today or in the future' },
    ],
    [
      'a reason too long',
      { ...parts(weekdayFrom(60)), reason: 'x'.repeat(201) },
      { reason: '200 characters' },
    ],
  ])('refuses %s, naming each field, and writes nothing', async (_what, fields, expected) => {
    const before = { rows: await rows(), mark: await eventMark(ctx.db.knex) };
    const res = await postForm(admin, fields, 422);
    expect(res.text).toContain('There is a problem');
    for (const [field, message] of Object.entries(expected)) {
      expect(res.text).toContain(`href="#${field === 'day' ? 'day-day' : field}"`);
      expect(res.text).toContain(message);
    }
    if (!('day' in expected)) expect(res.text).not.toContain('href="#day-day"');
    expect(await rows()).toEqual(before.rows);
    expect(await eventsSince(ctx.db.knex, before.mark)).toEqual([]);
  });

  it('refuses a day that is a closure day already with a 409, keeping the first reason', async () => {
    const day = weekdayFrom(50);
    await postForm(admin, { ...parts(day), reason: 'Training day' }, 303);
    const mark = await eventMark(ctx.db.knex);
    const res = await postForm(admin, { ...parts(day), reason: 'Other' }, 409);
    expect(res.text).toContain(`${longDate(day)} is already a closure day`);
    expect(res.text).toContain('value="Other"');
    expect((await rows()).filter((r) => r.day === day)).toEqual([{ day, reason: 'Training day' }]);
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([]);
  });

  it('removes a day, audited, and it is a working day again', async () => {
    const day = weekdayFrom(70);
    await postForm(admin, { ...parts(day), reason: 'Office move' }, 303);
    const mark = await eventMark(ctx.db.knex);
    const page = await admin.get('/admin/closure-days').expect(200);
    await admin
      .post(`/admin/closure-days/${day}/remove`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) })
      .expect(303)
      .expect('Location', '/admin/closure-days');
    expect((await rows()).map((r) => r.day)).not.toContain(day);
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        action: 'council_closure_day.remove',
        actorUserId: adminId,
        recordId: day,
        summary: { before: { day, reason: 'Office move' } },
      }),
    ]);
    expect((await ctx.services.workingDays.calendar()).isWorkingDay(day)).toBe(true);
    const after = await admin.get('/admin/closure-days').expect(200);
    expect(after.text).toContain(`${longDate(day)} is no longer a closure day`);
  });

  it('refuses a form posted without its CSRF token', async () => {
    const before = await rows();
    await admin
      .post('/admin/closure-days/new')
      .type('form')
      .send({ ...parts(weekdayFrom(80)), reason: 'Forged' })
      .expect(403);
    expect(await rows()).toEqual(before);
  });
});

describe('the closure days API', () => {
  it('adds, lists and removes a day, each change audited', async () => {
    const day = weekdayFrom(90);
    const mark = await eventMark(ctx.db.knex);
    const added = await api.post('/api/closure-days', { day, reason: 'Staff conference' }).expect(201);
    expect(added.body).toMatchObject({ day, reason: 'Staff conference', createdByName: expect.any(String) });
    const list = await api.get('/api/closure-days').expect(200);
    expect(list.body.closureDays).toContainEqual(
      expect.objectContaining({ day, reason: 'Staff conference' }),
    );
    await api.delete(`/api/closure-days/${day}`).expect(204);
    await api.delete(`/api/closure-days/${day}`).expect(404);
    expect((await eventsSince(ctx.db.knex, mark)).map((e) => [e.action, e.actorKind, e.recordId])).toEqual([
      ['council_closure_day.create', 'token', day],
      ['council_closure_day.remove', 'token', day],
    ]);
  });

  it.each([
    ['not a date', { day: '2026-02-30', reason: 'x' }, 422, 'day'],
    ['not a string', { day: 20261224, reason: 'x' }, 422, 'day'],
    ['a weekend', { day: nextSaturday(), reason: 'x' }, 422, 'day'],
    ['a day in the past', { day: londonDate(-1), reason: 'x' }, 422, 'day'],
    ['a blank reason', { day: weekdayFrom(100), reason: ' ' }, 422, 'reason'],
    ['no reason', { day: weekdayFrom(100) }, 422, 'reason'],
    ['a field it does not take', { day: weekdayFrom(100), reason: 'x', extra: 1 }, 422, 'extra'],
  ])('refuses %s with a field message, writing nothing', async (_what, body, status, field) => {
    const before = { rows: await rows(), mark: await eventMark(ctx.db.knex) };
    const res = await api.post('/api/closure-days', body).expect(status);
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    expect(await rows()).toEqual(before.rows);
    expect(await eventsSince(ctx.db.knex, before.mark)).toEqual([]);
  });

  it('refuses a duplicate with 409', async () => {
    const day = weekdayFrom(110);
    await api.post('/api/closure-days', { day, reason: 'First' }).expect(201);
    const res = await api.post('/api/closure-days', { day, reason: 'Second' }).expect(409);
    expect(res.body.errors).toEqual([{ field: 'day', message: `${longDate(day)} is already a closure day` }]);
  });

  it('keeps a day that has passed: removing it is a 409; an address that is not a date is a 404', async () => {
    const past = londonDate(-7);
    await ctx.db
      .knex('council_closure_day')
      .insert({ day: addWorkingDays(past, 0, holidays), reason: 'Old' });
    const res = await api.delete(`/api/closure-days/${addWorkingDays(past, 0, holidays)}`).expect(409);
    expect(res.body.detail).toContain('has passed');
    for (const bad of ['yesterday', '2026-02-30', '1', '2026-12-24x'])
      await api.delete(`/api/closure-days/${bad}`).expect(404);
  });
});

describe('anyone but an admin', () => {
  const others = (Object.keys(DEMO) as (keyof typeof DEMO)[]).filter((who) => who !== 'admin');

  it.each(others)('%s may neither see nor change closure days, on the pages or the API', async (who) => {
    const day = weekdayFrom(120);
    await api.post('/api/closure-days', { day, reason: 'Kept' }).expect(201);
    const before = { rows: await rows(), mark: await eventMark(ctx.db.knex) };
    const agent = await signedInAgent(ctx, DEMO[who]);
    const csrf = csrfTokenIn((await agent.get('/').expect(200)).text);
    await agent.get('/admin/closure-days').expect(403);
    await agent.get('/admin/closure-days/new').expect(403);
    await agent
      .post('/admin/closure-days/new')
      .type('form')
      .send({ _csrf: csrf, ...parts(weekdayFrom(130)), reason: 'Mine' })
      .expect(403);
    await agent.post(`/admin/closure-days/${day}/remove`).type('form').send({ _csrf: csrf }).expect(403);
    const token = await tokenFor(ctx, DEMO[who]);
    await api.get('/api/closure-days', token).expect(403);
    await api.post('/api/closure-days', { day: weekdayFrom(130), reason: 'Mine' }, token).expect(403);
    await api.delete(`/api/closure-days/${day}`, token).expect(403);
    expect(await rows()).toEqual(before.rows);
    expect(
      (await eventsSince(ctx.db.knex, before.mark)).filter((e) => e.action.startsWith('council')),
    ).toEqual([]);
    await api.delete(`/api/closure-days/${day}`).expect(204);
  });

  it('and nobody signed in is refused by the API', async () => {
    await request(ctx.app).get('/api/closure-days').expect(401);
    // A change with neither a session nor a token has no CSRF token either: refused before it is read.
    const change = await request(ctx.app).delete(`/api/closure-days/${weekdayFrom(40)}`);
    expect([401, 403]).toContain(change.status);
  });
});
