import { listOf, nobodySentence, outcomeMessage, roleFor, statusText } from './wording';

const EAST = { teamName: 'Assessment East', serviceAreaName: 'Front Door and Assessment' };

describe('what the person who raised a concern is told', () => {
  it.each([
    [
      'both roles reached',
      [
        { role: 'team_manager' as const, name: 'Hassan Campbell' },
        { role: 'head_of_service' as const, name: 'Fiona Gallagher' },
      ],
      [],
      'Safeguarding concern recorded and sent to Hassan Campbell (team manager of Assessment East) and Fiona Gallagher (head of service for Front Door and Assessment). Now speak to the team manager directly as well.',
    ],
    [
      'no team manager',
      [{ role: 'head_of_service' as const, name: 'Fiona Gallagher' }],
      ['team_manager' as const],
      'Safeguarding concern recorded and sent to Fiona Gallagher (head of service for Front Door and Assessment). Nobody is team manager of Assessment East: the concern has been put on the administrators’ Needs attention list until they choose who receives it. Speak to a manager of the team directly now.',
    ],
    [
      'nobody at all',
      [],
      ['team_manager' as const, 'head_of_service' as const],
      'Safeguarding concern recorded, but it has not reached anyone yet. Nobody is team manager of Assessment East and nobody is head of service for Front Door and Assessment: the concern has been put on the administrators’ Needs attention list until they choose who receives it. Speak to a manager of the team directly now.',
    ],
  ])('%s', (_name, recipients, unrouted, expected) => {
    expect(outcomeMessage(EAST, recipients, unrouted)).toBe(expected);
  });

  it('never calls a concern that reached nobody in a role a success in the words it uses', () => {
    for (const unrouted of [
      ['team_manager'],
      ['head_of_service'],
      ['team_manager', 'head_of_service'],
    ] as const)
      expect(outcomeMessage(EAST, [], unrouted)).toMatch(/Needs attention list/);
  });

  it('names a team in no service area plainly', () => {
    const place = { teamName: 'Youth Justice', serviceAreaName: null };
    expect(nobodySentence('head_of_service', place)).toBe(
      'Youth Justice is in no service area, so it has no head of service',
    );
    expect(roleFor('head_of_service', place)).toBe('head of service');
  });
});

describe('lists and statuses', () => {
  it.each([
    [[], ''],
    [['a'], 'a'],
    [['a', 'b'], 'a and b'],
    [['a', 'b', 'c'], 'a, b and c'],
  ])('lists %j as "%s"', (items, expected) => {
    expect(listOf(items)).toBe(expected);
  });

  it.each([
    [null, null, 'Reached nobody'],
    [{ id: 1, name: 'A', active: true }, null, 'Not yet seen'],
    [{ id: 1, name: 'A', active: false }, null, 'Recipient has left'],
    [{ id: 1, name: 'A', active: false }, { at: new Date(), byName: 'A' }, 'Seen'],
  ])('gives the status of an escalation to %j, acknowledged %j', (recipient, acknowledged, expected) => {
    expect(statusText({ recipient, acknowledged })).toBe(expected);
  });
});
