import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { taskList } from '../../src/audits/views';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { roundForAuditor } from '../support/audits';

/**
 * The task list of the multi-agency neglect audit: a section asked only on an earlier answer waits for it
 * ("Cannot start yet", not counted as done), then applies or does not once the answer is given.
 */
let ctx: TestContext;
let auditor: User;
let auditId: number;

describe('a section asked on an earlier answer, in the task list', () => {
  beforeAll(async () => {
    ctx = await createTestContext({ frameworks: true });
    auditor = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
    ({
      auditIds: [auditId = 0],
    } = await roundForAuditor(ctx.services, {
      framework: { id: 'multi-agency-neglect-thematic', version: '1.0.0' },
      name: 'Neglect round',
      moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
    }));
  }, 120_000);
  afterAll(() => ctx.close());

  const statusOf = async (title: string) => {
    const list = taskList(await ctx.services.audits.load(auditId, auditor));
    return { section: list.sections.find((s) => s.title === title), completed: list.completedCount };
  };

  it('waits for the answer, then applies or not by it', async () => {
    const police = await statusOf('Police contribution');
    expect(police.section?.status.text).toBe('Cannot start yet');
    expect(police.section?.hint).toMatch(
      /^Asked when “Were the police involved.*answer the earlier sections first$/,
    );
    expect(police.completed).toBe(0);

    await ctx.services.audits.saveDraft(
      auditId,
      {
        version: 0,
        response: {
          sections: {
            'case-profile': {
              answers: { 'prof-police-involved': 'no', 'prof-health-involved': 'yes' },
            },
          },
        },
      },
      auditor,
      { ...SYSTEM_ACTOR, userId: auditor.id },
    );
    expect((await statusOf('Police contribution')).section?.status.text).toBe('Does not apply');
    expect((await statusOf('Health contribution')).section?.status.text).toBe('Not yet started');
  });
});
