import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';

/**
 * The round preview on the planning pages: it names the teams that get no audit (the demo's front door,
 * whose cases are all of a type the framework does not audit), and only a short summary is announced.
 */

let ctx: TestContext;
let agent: Awaited<ReturnType<typeof signedInAgent>>;
beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
  agent = await signedInAgent(ctx, DEMO.admin);
  const answer = async (path: string, fields: Record<string, string | string[]>) => {
    const page = await agent.get(path).expect(200);
    await agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), ...fields })
      .expect(303);
  };
  const [latest] = (await ctx.services.cases.listImports()).filter((i) => i.status === 'imported');
  await agent.get('/rounds/new').expect(302);
  await answer('/rounds/new/name', { name: 'January monthly audit' });
  await answer('/rounds/new/framework', { framework: 'childrens-social-care-case-audit@1.1.0' });
  await answer('/rounds/new/population', { importId: String(latest?.id) });
  const types = await agent.get('/rounds/new/case-types').expect(200);
  const chosen = [...types.text.matchAll(/name="caseTypes" type="checkbox" value="([^"]+)" checked/g)].map(
    (m) => m[1] as string,
  );
  expect(chosen).not.toContain('front-door');
  await answer('/rounds/new/case-types', { caseTypes: chosen });
  await answer('/rounds/new/teams', { teamScope: 'all' });
  await answer('/rounds/new/themes', { themed: 'no' });
  await answer('/rounds/new/exclusions', {
    exclude: ['recentlyAudited', 'inOtherOpenRound', 'closed', 'restricted'],
    months: '12',
  });
}, 120_000);
afterAll(() => ctx.close());

/** The elements with aria-live, or a live role, in a page: each with its content. */
function liveRegions(html: string): { tag: string; content: string }[] {
  const regions: { tag: string; content: string }[] = [];
  for (const match of html.matchAll(/<(\w+)\b([^>]*\b(?:aria-live|role="(?:status|alert|log)")[^>]*)>/g)) {
    const name = match[1] as string;
    const start = (match.index ?? 0) + match[0].length;
    // Live regions here hold text only: their content runs to the first closing tag.
    regions.push({ tag: match[0], content: html.slice(start, html.indexOf(`</${name}>`, start)) });
  }
  return regions;
}

describe('the round preview', () => {
  it('names each team that gets no audit, and why: the front door has no cases of the chosen types', async () => {
    const page = await agent.get('/rounds/new/size').expect(200);
    expect(page.text).toMatch(/\d+ teams get no audit<\/h3>/);
    expect(page.text).toContain('<li>Multi-Agency Safeguarding Hub: no cases of the chosen types</li>');
  });

  it('announces only a short summary: the detailed panel is outside the live region', async () => {
    const page = await agent.get('/rounds/new/size').expect(200);
    const regions = liveRegions(page.text).filter((r) => !r.tag.includes('govuk-error-summary'));
    // The one live region of the page is the status line beside the panel, empty until the panel changes.
    expect(regions.map((r) => r.tag)).toEqual([
      '<p class="govuk-visually-hidden" id="round-preview-status" role="status" aria-live="polite" aria-atomic="true">',
    ]);
    expect(regions[0]?.content.trim()).toBe('');
    expect(page.text).toMatch(/<div id="round-preview">\s*<h2/);

    // The panel the script fetches carries the summary it announces, and no live region of its own.
    const fragment = await agent
      .post('/rounds/new/size/preview')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), sizeKind: 'per-team', perTeam: '2' })
      .expect(200);
    expect(liveRegions(fragment.text)).toEqual([]);
    const announcement = /data-preview-announcement="([^"]*)"/.exec(fragment.text)?.[1];
    expect(announcement).toMatch(/^Preview updated: \d+ audits, 2 per team, \d+ teams get none$/);
    const total = /<strong>(\d+) cases<\/strong>/.exec(fragment.text)?.[1];
    expect(announcement).toContain(`Preview updated: ${total} audits`);
  });
});
