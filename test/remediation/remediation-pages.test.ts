import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { longDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, moderateAll, roundForAuditor } from '../support/audits';
import { eventMark, eventsSince } from '../support/events';
import { decode, formIn } from '../support/forms';

/**
 * Remediation through its pages, as people use them without JavaScript: real forms, their CSRF tokens and
 * hidden fields read from the page. Harry Chen manages Assessment North, whose inadequate audits Aisha
 * Khan graded; Hassan Campbell manages another team.
 */

type Who = keyof typeof DEMO;

let ctx: TestContext;
let framework: Framework;
const users = {} as Record<Who, User>;
const agents: Partial<Record<Who, TestAgent>> = {};
/** Assessment North's audits graded inadequate: the one taken round the loop, and one left waiting. */
const audit = { loop: 0, waiting: 0 };

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  for (const who of Object.keys(DEMO) as Who[])
    users[who] = (await ctx.services.users.findByEmail(DEMO[who])) as User;
  const { auditIds } = await roundForAuditor(ctx.services, {
    perTeam: 2,
    moderation: { samplePercent: 0, allInadequate: true, allOutstanding: false, blind: true },
  });
  const rows: { id: number }[] = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .where('t.code', 'assessment-north')
    .orderBy('a.id')
    .select('a.id');
  [audit.loop, audit.waiting] = rows.map((r) => r.id) as [number, number];
  const auditor = users.auditor;
  for (const id of [audit.loop, audit.waiting])
    await ctx.services.audits.submit(
      id,
      { version: 0, response: completeResponse(framework, () => 3) },
      auditor,
      { ...SYSTEM_ACTOR, userId: auditor.id },
    );
});
afterAll(() => ctx.close());

async function as(who: Who): Promise<TestAgent> {
  agents[who] ??= await signedInAgent(ctx, DEMO[who]);
  return agents[who];
}

const recordOf = async (auditId: number) =>
  (await ctx.db.knex('remediation_record').where({ audit_id: auditId }).first()) as {
    id: number;
    version: number;
    status: string;
    response: string | null;
    completion_due: string;
  };

const actionsOf = (recordId: number) =>
  ctx.db.knex('remediation_action').where({ record_id: recordId }).orderBy('id') as Promise<
    {
      id: number;
      version: number;
      status: string;
      description: string;
      owner_person_id: number;
      due_date: string;
      evidence: string | null;
      verification_note: string | null;
    }[]
  >;

/**
 * Opens a page as the user, expecting it to be shown, and that showing it logged exactly one view: of
 * the record, or of the user's list of records, by them.
 */
async function open(who: Who, path: string, view: 'remediation' | 'remediation_list'): Promise<string> {
  const agent = await as(who);
  const mark = await eventMark(ctx.db.knex);
  const res = await agent.get(path).expect(200);
  const userId = users[who].id;
  expect(await eventsSince(ctx.db.knex, mark)).toEqual([
    expect.objectContaining({
      action: `${view}.view`,
      actorKind: 'user',
      actorUserId: userId,
      recordType: view,
      recordId: view === 'remediation' ? path.split('/').pop() : String(userId),
    }),
  ]);
  return res.text;
}

/** Posts a form as the browser would send it, expecting `status`; what the request wrote is given back. */
async function post(who: Who, path: string, form: Record<string, string | string[]>, status: number) {
  const agent = await as(who);
  const mark = await eventMark(ctx.db.knex);
  const res = await agent.post(path).type('form').send(form).expect(status);
  return { res, events: await eventsSince(ctx.db.knex, mark) };
}

/** The record page a form's redirect leads to, with the notice it shows. */
async function followed(who: Who, res: { headers: Record<string, string> }, recordId: number) {
  expect(res.headers.location).toBe(`/remediations/${recordId}`);
  const page = await open(who, `/remediations/${recordId}`, 'remediation');
  const notice = /govuk-notification-banner__heading">([^<]*)</.exec(page)?.[1];
  return { page, notice: notice && decode(notice) };
}

/** The form on the page that moves an action to `to` (the button a user presses), as it would be sent. */
function moveForm(html: string, actionId: number, to: string): Record<string, string | string[]> {
  const form = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)]
    .map((m) => m[0])
    .find((f) => f.includes(`action="/actions/${actionId}"`) && f.includes(`name="status" value="${to}"`));
  if (!form) throw new Error(`no form moving action ${actionId} to ${to} on the page`);
  return formIn(form, `/actions/${actionId}`);
}

/** The error summary's links; each must point at an element on the page. */
function errorSummaryTargets(html: string): string[] {
  expect(html).toContain('<title>Error: ');
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  const targets = [...summary.matchAll(/<a href="#([^"]*)">/g)].map((m) => m[1] as string);
  expect(targets.length).toBeGreaterThan(0);
  for (const id of targets) expect({ id, onPage: html.includes(`id="${id}"`) }).toEqual({ id, onPage: true });
  return targets;
}

/** The record ids listed under each heading of the Actions page. */
function groupsOf(html: string): Record<string, number[]> {
  const groups: Record<string, number[]> = {};
  for (const [, id, body] of html.matchAll(
    /<h2 class="govuk-heading-m" id="([\w-]+)-heading">([\s\S]*?)(?=<h2 |<\/main>)/g,
  ))
    groups[id as string] = [...(body as string).matchAll(/href="\/remediations\/(\d+)"/g)].map((m) =>
      Number(m[1]),
    );
  return groups;
}

/** The active people of a team offered as owners in the "Add an action" form, by name. */
function ownersIn(html: string, team: string): Map<string, string> {
  const select = /<select[^>]*name="ownerPersonId"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
  const group = new RegExp(`<optgroup label="${team}">([\\s\\S]*?)</optgroup>`).exec(select)?.[1] ?? '';
  return new Map(
    [...group.matchAll(/<option value="(\d+)"[^>]*>([^<]*)</g)].map((m) => [
      decode(m[2] as string),
      m[1] as string,
    ]),
  );
}

describe('the loop through the pages: response, action, completion, verification', () => {
  let recordId: number;
  let actionId: number;
  let ownerName: string;
  const description = 'Visit the child at home with the family’s new social worker.';
  const difference = 'The child knows who their social worker is and has said what they want to change.';

  beforeAll(async () => {
    recordId = (await recordOf(audit.loop)).id;
  });

  it('shows the team manager the record on the Actions page, awaiting a response', async () => {
    const actions = await open('teamManager', '/actions', 'remediation_list');
    expect(groupsOf(actions)['awaiting-response']).toContain(recordId);
    const page = await open('teamManager', `/remediations/${recordId}`, 'remediation');
    expect(page).toContain('Overall: Inadequate');
    expect(page).toContain('Give the response');
    expect(page).toContain('Add the action');
    expect(page).toContain('No actions yet.');
  });

  it('refuses an empty response, naming the field, and writes nothing', async () => {
    const page = await open('teamManager', `/remediations/${recordId}`, 'remediation');
    const before = await recordOf(audit.loop);
    const form = formIn(page, `/remediations/${recordId}/response`);
    const { res, events } = await post(
      'teamManager',
      `/remediations/${recordId}/response`,
      { ...form, response: '  ' },
      422,
    );
    expect(errorSummaryTargets(res.text)).toEqual(['response-response']);
    expect(res.text).toContain('Enter the management response');
    expect(events).toEqual([]);
    expect(await recordOf(audit.loop)).toEqual(before);
  });

  it('records the management response', async () => {
    const page = await open('teamManager', `/remediations/${recordId}`, 'remediation');
    const form = formIn(page, `/remediations/${recordId}/response`);
    const response =
      'We have read the audit with the social worker; the plan is being rewritten with the family.';
    const { res, events } = await post(
      'teamManager',
      `/remediations/${recordId}/response`,
      { ...form, response },
      303,
    );
    expect(events.map((e) => e.action)).toEqual(['remediation.respond']);
    const after = await followed('teamManager', res, recordId);
    expect(after.notice).toBe('Your management response has been recorded.');
    expect(decode(after.page)).toContain(response);
    expect(after.page).toContain('Harry Chen');
    expect(after.page).not.toContain('Give the response');
  });

  /** The "Add an action" form filled in as the team manager would, the due date left at its default. */
  async function actionForm(): Promise<Record<string, string | string[]>> {
    const page = await open('teamManager', `/remediations/${recordId}`, 'remediation');
    const owners = ownersIn(page, 'Assessment North');
    const [someone] = [...owners.keys()].filter((name) => name !== 'Harry Chen');
    if (!someone) throw new Error('nobody in Assessment North but Harry Chen is offered as an owner');
    ownerName = someone;
    return {
      ...formIn(page, `/remediations/${recordId}/actions`),
      description,
      intendedDifference: difference,
      kind: 'practice',
      ownerPersonId: owners.get(ownerName) as string,
    };
  }

  it.each([
    ['nothing entered', 'empty', ['description', 'intendedDifference', 'kind', 'ownerPersonId']],
    ['no intended difference', { intendedDifference: ' ' }, ['intendedDifference']],
    ['no owner', { ownerPersonId: '' }, ['ownerPersonId']],
    [
      'a later due date without a reason',
      { 'dueDate-day': '5', 'dueDate-month': '1', 'dueDate-year': '2099' },
      ['dueReason'],
    ],
    [
      'a due date that is not a date',
      { 'dueDate-day': '30', 'dueDate-month': '2', 'dueDate-year': '2099' },
      ['dueDate-day'],
    ],
  ] as const)(
    'refuses an action with %s: the error summary links to the fields, and nothing is written',
    async (_what, change, targets) => {
      const filled = await actionForm();
      const form =
        change === 'empty'
          ? formIn(
              await open('teamManager', `/remediations/${recordId}`, 'remediation'),
              `/remediations/${recordId}/actions`,
            )
          : { ...filled, ...change };
      const { res, events } = await post('teamManager', `/remediations/${recordId}/actions`, form, 422);
      expect(errorSummaryTargets(res.text)).toEqual(targets);
      expect(events).toEqual([]);
      expect(await actionsOf(recordId)).toEqual([]);
      // What was entered is kept, to be put right.
      if (change !== 'empty') expect(decode(res.text)).toContain(description);
    },
  );

  it('adds an action owned by a member of the team, due at the framework’s timescale by default', async () => {
    const { res, events } = await post(
      'teamManager',
      `/remediations/${recordId}/actions`,
      await actionForm(),
      303,
    );
    expect(events.map((e) => e.action)).toEqual(['remediation_action.create']);
    const [action] = await actionsOf(recordId);
    actionId = action!.id;
    const record = await recordOf(audit.loop);
    expect(action).toMatchObject({ status: 'open', description, due_date: record.completion_due });
    const after = await followed('teamManager', res, recordId);
    expect(after.notice).toBe('The action has been added.');
    const text = decode(after.page);
    for (const shown of [description, difference, 'Practice', ownerName, longDate(record.completion_due)])
      expect(text).toContain(shown);
  });

  it('starts the action, then marks it completed with evidence; a form from the page before does nothing', async () => {
    const open1 = await open('teamManager', `/remediations/${recordId}`, 'remediation');
    const started = await post(
      'teamManager',
      `/actions/${actionId}`,
      moveForm(open1, actionId, 'in_progress'),
      303,
    );
    expect(started.events.map((e) => e.action)).toEqual(['remediation_action.start']);
    const inProgress = await followed('teamManager', started.res, recordId);
    expect(inProgress.notice).toBe('The action is now in progress.');

    const evidence = 'Visit on 3 March recorded in the case notes; the child’s views are in the plan.';
    const completed = await post(
      'teamManager',
      `/actions/${actionId}`,
      { ...moveForm(inProgress.page, actionId, 'completed'), evidence },
      303,
    );
    expect(completed.events.map((e) => e.action)).toEqual(['remediation_action.complete']);
    const done = await followed('teamManager', completed.res, recordId);
    expect(done.notice).toBe('The action is now completed.');
    expect(decode(done.page)).toContain(evidence);

    // "Send back to open" from the page as it was while the action was in progress: stale.
    const before = await actionsOf(recordId);
    const stale = await post(
      'teamManager',
      `/actions/${actionId}`,
      { ...moveForm(inProgress.page, actionId, 'open'), reason: 'Pressed on an old page.' },
      303,
    );
    expect(stale.events).toEqual([]);
    expect(await actionsOf(recordId)).toEqual(before);
    expect((await followed('teamManager', stale.res, recordId)).notice).toBe(
      'Someone changed this action since you opened it.',
    );
  });

  it('is not found by another team’s manager, nor are its forms; nothing is written', async () => {
    const [action] = await actionsOf(recordId);
    expect(action).toMatchObject({ status: 'completed' });
    const hassan = await as('teamManagerOnly');
    const _csrf = csrfTokenIn((await hassan.get('/').expect(200)).text);
    expect((await hassan.get('/actions').expect(200)).text).not.toContain(`/remediations/${recordId}"`);
    const mark = await eventMark(ctx.db.knex);
    await hassan.get(`/remediations/${recordId}`).expect(404);
    const forms: [string, Record<string, string>][] = [
      [`/remediations/${recordId}/response`, { _csrf, version: '1', response: 'Not ours.' }],
      [
        `/remediations/${recordId}/actions`,
        { _csrf, description: 'x', intendedDifference: 'y', kind: 'practice', ownerPersonId: '1' },
      ],
      [`/actions/${actionId}`, { _csrf, version: String(action!.version), status: 'open', reason: 'x' }],
    ];
    for (const [path, form] of forms)
      expect({ path, status: (await hassan.post(path).type('form').send(form)).status }).toEqual({
        path,
        status: 404,
      });
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([]);
    expect(await actionsOf(recordId)).toEqual([action]);
  });

  it('shows the auditor the action waiting for them to verify, refuses a verification without a note, and closes the record on one with a note', async () => {
    const actions = await open('auditor', '/actions', 'remediation_list');
    expect(groupsOf(actions)['to-verify']).toEqual([recordId]);
    const page = await open('auditor', `/remediations/${recordId}`, 'remediation');
    expect(page).not.toContain('Add the action');

    const before = await actionsOf(recordId);
    const refused = await post('auditor', `/actions/${actionId}`, moveForm(page, actionId, 'verified'), 422);
    expect(errorSummaryTargets(refused.res.text)).toEqual([`action-${actionId}-verified-note`]);
    expect(refused.res.text).toContain('Say what you checked to verify the action');
    expect(refused.events).toEqual([]);
    expect(await actionsOf(recordId)).toEqual(before);

    const note = 'Read the visit record and the revised plan; spoke to the social worker.';
    const verified = await post(
      'auditor',
      `/actions/${actionId}`,
      { ...moveForm(refused.res.text, actionId, 'verified'), note },
      303,
    );
    expect(verified.events.map((e) => e.action)).toEqual([
      'remediation_action.verify',
      'remediation.close',
      'remediation.reaudit',
    ]);
    const closed = await followed('auditor', verified.res, recordId);
    expect(closed.notice).toBe('The action is now verified.');
    expect(closed.page).toMatch(/govuk-tag--green">Closed</);
    expect(decode(closed.page)).toContain(note);
    expect(closed.page).not.toContain('action="/actions/');
    expect(await recordOf(audit.loop)).toMatchObject({ status: 'closed' });

    const harry = await open('teamManager', `/remediations/${recordId}`, 'remediation');
    expect(harry).toMatch(/govuk-tag--green">Closed</);
    expect(harry).not.toContain('<form method="post" action="/remediations/');
  });
});

describe('a response from a page the record has changed since', () => {
  it('redirects with a notice and records nothing', async () => {
    const { id: recordId } = await recordOf(audit.waiting);
    const page = await open('teamManager', `/remediations/${recordId}`, 'remediation');
    // Meanwhile moderation agrees a better grade, which still calls for remediation: the record changes.
    await moderateAll(ctx.services, framework, audit.waiting, 'requires-improvement');
    const before = await recordOf(audit.waiting);
    const form = { ...formIn(page, `/remediations/${recordId}/response`), response: 'Plan reviewed.' };
    const { res, events } = await post('teamManager', `/remediations/${recordId}/response`, form, 303);
    expect(events).toEqual([]);
    expect(await recordOf(audit.waiting)).toEqual(before);
    expect(before.response).toBeNull();
    const after = await followed('teamManager', res, recordId);
    expect(after.notice).toBe('Someone changed this record since you opened it.');
    expect(after.page).toContain(`name="version" value="${before.version}"`);
  });
});
