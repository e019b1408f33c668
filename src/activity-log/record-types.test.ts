import { RECORD_TYPES } from './record-types';

describe('the audit log’s lists of audits', () => {
  it.each([
    ['12', '/admin/users/12', 'the audits allocated to Aisha Khan'],
    ['team:4', '/teams/4', 'the submitted audits of team 4'],
    ['inadequate-this-month', undefined, 'the audits graded inadequate this month'],
  ])('names %s and links it to its page', (id, href, phrase) => {
    expect(RECORD_TYPES.audit_list.href(id)).toBe(href);
    expect(RECORD_TYPES.audit_list.phrase(id === '12' ? 'Aisha Khan' : undefined, id)).toBe(phrase);
  });
});
