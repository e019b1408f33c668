import { ENTRA, identityOf, parseMapping, type RoleMapping } from './mapping';

const mapping: RoleMapping = {
  subject: 'entra',
  grants: [
    { claim: 'CaseAudit.Auditor', roles: ['auditor'] },
    { claim: 'CaseAudit.Manager.North', roles: ['team_manager'], teams: ['assessment-north'] },
    { claim: 'CaseAudit.Manager.South', roles: ['team_manager'], teams: ['assessment-south'] },
    { claim: 'CaseAudit.Head.FrontDoor', roles: ['head_of_service'], serviceAreas: ['front-door'] },
  ],
};
const claims = (attributes: Record<string, string[]>, nameId = 'opaque-name-id') => ({
  nameId,
  issuer: 'https://sts.windows.net/t/',
  attributes: { [ENTRA.objectId]: ['oid-1'], [ENTRA.tenantId]: ['tenant-1'], ...attributes },
});

describe('role mapping', () => {
  it('grants the union of every matching claim, keyed on object id and tenant', () => {
    expect(
      identityOf(
        claims({
          [ENTRA.roles]: ['CaseAudit.Manager.North', 'CaseAudit.Manager.South', 'CaseAudit.Auditor', 'Other'],
          [ENTRA.email]: ['sam@council.example'],
          [ENTRA.name]: ['Sam Patel'],
        }),
        mapping,
      ),
    ).toEqual({
      tenantId: 'tenant-1',
      subject: 'oid-1',
      email: 'sam@council.example',
      displayName: 'Sam Patel',
      roles: ['auditor', 'team_manager'],
      teamCodes: ['assessment-north', 'assessment-south'],
      serviceAreaCodes: [],
    });
  });

  it('says why there is no access: no role, too many groups, no subject', () => {
    expect(identityOf(claims({ [ENTRA.roles]: ['Other'] }), mapping)).toEqual({ noAccess: 'no-role' });
    expect(
      identityOf(claims({ [ENTRA.groupsOverage]: ['https://graph.microsoft.com/...'] }), mapping),
    ).toEqual({
      noAccess: 'groups-overage',
    });
    expect(
      identityOf(
        {
          ...claims({ [ENTRA.roles]: ['CaseAudit.Auditor'] }),
          attributes: { [ENTRA.roles]: ['CaseAudit.Auditor'] },
        },
        mapping,
      ),
    ).toEqual({ noAccess: 'no-subject' });
  });

  it('keys ADFS users on their persistent NameID within the identity provider, roles from a chosen claim', () => {
    const adfs: RoleMapping = {
      ...mapping,
      subject: 'name-id',
      claims: { roles: 'http://schemas.xmlsoap.org/claims/Group' },
    };
    expect(
      identityOf(
        claims({ 'http://schemas.xmlsoap.org/claims/Group': ['CaseAudit.Auditor'] }, 'S-1-5-21-9'),
        adfs,
      ),
    ).toMatchObject({ tenantId: 'https://sts.windows.net/t/', subject: 'S-1-5-21-9', roles: ['auditor'] });
  });

  it('refuses a file that is not JSON or not a mapping, saying where', () => {
    expect(parseMapping('{', 'm.json').problems[0]).toMatch(/^SAML_ROLE_MAPPING_FILE: m.json is not JSON/);
    expect(
      parseMapping(
        JSON.stringify({ subject: 'entra', grants: [{ claim: 'x', roles: ['wizard'] }] }),
        'm.json',
      ).problems,
    ).toContainEqual(
      expect.stringMatching(/m.json\/grants\/0\/roles\/0 must be equal to one of the allowed values/),
    );
  });
});
