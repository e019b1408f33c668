import { mayUse, navigationFor } from './access';
import { ROLES, type Role } from './roles';

const texts = (roles: Role[]) => navigationFor(roles, '/').map((link) => link.text);

describe('navigation', () => {
  it.each<[Role, string[]]>([
    ['auditor', ['Home', 'My audits', 'Actions', 'Frameworks']],
    ['moderator', ['Home', 'Moderation', 'Actions', 'Frameworks']],
    [
      'team_manager',
      ['Home', 'Escalations', 'Actions', 'Teams', 'Cases', 'Audit rounds', 'Frameworks', 'Reports'],
    ],
    [
      'head_of_service',
      ['Home', 'Escalations', 'Actions', 'Teams', 'Cases', 'Audit rounds', 'Frameworks', 'Reports'],
    ],
    ['director', ['Home', 'Reports']],
    [
      'admin',
      ['Home', 'Escalations', 'Actions', 'Teams', 'Cases', 'Audit rounds', 'Frameworks', 'Reports', 'Admin'],
    ],
  ])('shows a %s only what they may use', (role, expected) => {
    expect(texts([role])).toEqual(expected);
  });

  it('combines the links of several roles without repeats', () => {
    expect(texts(['team_manager', 'auditor'])).toEqual([
      'Home',
      'My audits',
      'Escalations',
      'Actions',
      'Teams',
      'Cases',
      'Audit rounds',
      'Frameworks',
      'Reports',
    ]);
  });

  it('marks the current section, including pages below it', () => {
    const current = (path: string) =>
      navigationFor(['admin'], path)
        .filter((l) => l.current)
        .map((l) => l.text);
    expect(current('/')).toEqual(['Home']);
    expect(current('/teams/4')).toEqual(['Teams']);
    expect(current('/admin/audit-log')).toEqual(['Admin']);
    expect(current('/teamsfoo')).toEqual([]);
  });

  it('lets only those who see case records export them: no directors, auditors or moderators', () => {
    expect(ROLES.filter((role) => mayUse([role], 'exports'))).toEqual([
      'admin',
      'team_manager',
      'head_of_service',
    ]);
    expect(mayUse(['director', 'auditor', 'moderator'], 'exports')).toBe(false);
  });

  it('agrees with mayUse for every role and link', () => {
    for (const role of ROLES) {
      expect(mayUse([role], 'home')).toBe(true);
      expect(mayUse([role], 'admin')).toBe(role === 'admin');
    }
    expect(mayUse([], 'teams')).toBe(false);
  });
});
