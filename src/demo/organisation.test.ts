import { DEMO_USERS, LOCALITIES, TEAMS, TEAM_SIZE, identityOf, staffName } from './organisation';

describe('demo organisation', () => {
  it('is the size the service is demonstrated at', () => {
    expect(LOCALITIES).toHaveLength(4);
    expect(TEAMS).toHaveLength(20);
    expect(TEAMS.length * TEAM_SIZE).toBe(100);
    expect(new Set(TEAMS.map((t) => t.code)).size).toBe(TEAMS.length);
    expect(new Set(TEAMS.map((t) => t.kind))).toEqual(
      new Set([
        'front_door',
        'assessment',
        'family_safeguarding',
        'children_in_care',
        'care_leavers',
        'disabled_children',
      ]),
    );
  });

  it('gives every member of staff a distinct name', () => {
    const names = Array.from({ length: TEAMS.length * TEAM_SIZE }, (_, i) => staffName(i));
    expect(new Set(names).size).toBe(names.length);
  });

  it('has a demo user for every role, each with a distinct email', () => {
    expect(new Set(DEMO_USERS.flatMap((u) => u.roles))).toEqual(
      new Set(['admin', 'auditor', 'moderator', 'team_manager', 'head_of_service', 'director']),
    );
    const emails = DEMO_USERS.map((u) => identityOf(u).email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.every((e) => e.endsWith('@demoshire.example'))).toBe(true);
  });
});
