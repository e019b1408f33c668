import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_ACTIONS, isAuditAction } from './actions';
import { readableEvents } from './readable';
import type { AuditEvent } from './repository';

const SRC = path.join(__dirname, '..');

function sourceFiles(): { file: string; text: string }[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => ({ file, text: readFileSync(path.join(SRC, file), 'utf8') }));
}

/**
 * Every action the code can record, read from the source: `action: '…'` (each quoted branch of a
 * conditional too), a local `record('…', …)` helper, and `recordView(actor, '<type>', …)`, which records
 * `<type>.view`. Dynamic actions are refused here, except recordView's own.
 */
function recordedActions(): { actions: Map<string, string>; dynamic: string[] } {
  const actions = new Map<string, string>();
  const dynamic: string[] = [];
  for (const { file, text } of sourceFiles()) {
    for (const match of text.matchAll(/\baction:\s*([^,\n}]+)/g)) {
      const expression = match[1] as string;
      // An action is noun.verb; other `action:` properties (a form's address, where xml-crypto puts a
      // signature) are not audit actions.
      if (/^\s*['`]\//.test(expression) || /^\s*'(after|before|append|prepend)'/.test(expression)) continue;
      const literals = [...expression.matchAll(/'([^']+)'/g)].map((m) => m[1] as string);
      // A value copied from data (`q.raisesAction.action`, `${finding.action}`) is a recommended action's text.
      if (/^(\$\{)?[A-Za-z_][\w.]*\.action\b/.test(expression)) continue;
      if (literals.length === 0 && !/^(string|AuditAction)\b/.test(expression))
        dynamic.push(`${file}: action: ${expression.trim()}`);
      for (const literal of literals) actions.set(literal, file);
    }
    for (const match of text.matchAll(/\brecord\(\s*'([a-z_]+\.[a-z_]+)'/g))
      actions.set(match[1] as string, file);
    for (const match of text.matchAll(/\brecordView\(\s*[^,]+,\s*'([a-z_]+)'/g))
      actions.set(`${match[1]}.view`, file);
  }
  // recordView's own: its record types are read from its calls above.
  return { actions, dynamic: dynamic.filter((d) => d !== 'activity-log/service.ts: action: `${recordType') };
}

describe('audit log actions', () => {
  const { actions, dynamic } = recordedActions();

  it('finds the actions the code records (the enumeration itself works)', () => {
    expect(actions.size).toBeGreaterThan(30);
    expect(actions.get('audit.save_draft')).toMatch(/audits/);
    expect(actions.get('team.rename')).toMatch(/organisation/);
    expect(actions.get('team.close')).toMatch(/organisation/);
    expect(actions.get('audit.view')).toBeDefined();
  });

  it('each have readable wording', () => {
    const missing = [...actions]
      .filter(([action]) => !isAuditAction(action))
      .map(([a, file]) => `${a} (${file})`);
    expect(missing).toEqual([]);
    expect(dynamic).toEqual([]);
  });

  it.each(Object.entries(AUDIT_ACTIONS))(
    '%s reads as a sentence, whatever its summary holds',
    (_action, wording) => {
      expect(wording.label).toMatch(/^[A-Z]/);
      for (const summary of [
        {},
        { before: null, after: 'x' },
        { before: { name: 3 }, after: { roles: [] } },
      ]) {
        const phrase = wording.phrase({ record: 'the team X', summary });
        expect(phrase).toMatch(/^[a-z]/);
        expect(phrase).not.toMatch(/undefined|null|\[object/);
      }
    },
  );
});

function event(action: string, recordType: string, recordId: string | null, summary = {}): AuditEvent {
  return {
    id: 1,
    occurredAt: new Date('2026-11-26T10:00:00Z'),
    actorKind: 'user',
    actorUserId: 1,
    actorName: 'Sam Patel',
    actorTokenId: null,
    action,
    recordType,
    recordId,
    requestId: null,
    summary,
  };
}

describe('readable events', () => {
  const labels = new Map([
    ['audit:12', { label: 'DS100265' }],
    ['app_user:4', { label: 'Harry Chen' }],
    ['team:7', { label: 'Assessment North' }],
    ['person:9', { label: 'Jo Bloggs' }],
    ['framework_version:2', { label: 'Case audit, version 1.0.0', ref: 'case-audit/versions/1.0.0' }],
  ]);
  it.each([
    [
      event('audit.save_draft', 'audit', '12'),
      'Sam Patel saved a draft of the audit of case DS100265',
      '/audits/12',
    ],
    [
      event('user.update', 'app_user', '4', { before: { roles: [] }, after: { roles: ['admin'] } }),
      'Sam Patel changed Harry Chen’s roles',
      '/admin/users/4',
    ],
    [
      event('user.update', 'app_user', '4', {
        before: {},
        after: { roles: [], teamIds: [], serviceAreaIds: [] },
      }),
      'Sam Patel changed Harry Chen’s roles, teams managed and service areas led',
      '/admin/users/4',
    ],
    [
      event('team.rename', 'team', '7', {
        before: { name: 'Assessment North' },
        after: { name: 'Assessment N' },
      }),
      'Sam Patel renamed the team Assessment North to Assessment N',
      '/admin/teams/7',
    ],
    [
      event('team.move', 'team', '7', {
        name: 'Assessment North',
        before: { localityId: 1, locality: 'North', serviceAreaId: 1, serviceArea: 'A' },
        after: { localityId: 2, locality: 'South', serviceAreaId: null, serviceArea: null },
      }),
      'Sam Patel moved the team Assessment North from North to South and from A to no service area (service area)',
      '/admin/teams/7',
    ],
    [
      event('person.change_line_manager', 'person', '9', {
        name: 'Jo Bloggs',
        after: { lineManager: 'Al Boss' },
      }),
      'Sam Patel made Al Boss Jo Bloggs’s line manager',
      '/admin/people/9',
    ],
    [
      event('framework.load', 'framework_version', '2'),
      'Sam Patel loaded the framework Case audit, version 1.0.0',
      '/frameworks/case-audit/versions/1.0.0',
    ],
    [
      event('restricted_case.grant', 'restricted_case', 'CH-1', {
        after: { userId: 9, name: 'Jo Bloggs', reason: 'Adoption team manager' },
      }),
      'Sam Patel granted Jo Bloggs access to the restricted case CH-1 (Adoption team manager)',
      '/admin/restricted-cases/CH-1',
    ],
    [
      event('restricted_case.revoke', 'restricted_case', 'CH-1', { before: { userId: 9 } }),
      'Sam Patel took away a user’s access to the restricted case CH-1',
      '/admin/restricted-cases/CH-1',
    ],
    [
      event('council_closure_day.create', 'council_closure_day', '2026-12-29', {
        after: { day: '2026-12-29', reason: 'Christmas shutdown' },
      }),
      'Sam Patel added the council closure day 29 December 2026 (Christmas shutdown)',
      '/admin/closure-days',
    ],
    [
      event('council_closure_day.remove', 'council_closure_day', '2026-12-29'),
      'Sam Patel removed the council closure day 29 December 2026: it is a working day again',
      '/admin/closure-days',
    ],
    [event('audit.view', 'audit', '99'), 'Sam Patel viewed audit 99', '/audits/99'],
    [event('case_list.view', 'case_list', '{"team":3}'), 'Sam Patel viewed a list of cases', undefined],
    [event('future.thing', 'widget', '5'), 'Sam Patel did “future.thing” to widget 5', undefined],
  ])('%#: %j', (e, sentence, href) => {
    const [readable] = readableEvents([e], labels);
    expect(readable?.sentence).toBe(sentence);
    expect(readable?.record.href).toBe(href);
  });

  it('names the system and API tokens as the actor', () => {
    const [system] = readableEvents(
      [{ ...event('demo.seed', 'organisation', null), actorKind: 'system', actorName: null }],
      labels,
    );
    expect(system?.sentence).toBe('The system loaded the demo organisation');
    const [token] = readableEvents(
      [{ ...event('audit.submit', 'audit', '12'), actorKind: 'token', actorTokenId: 3 }],
      labels,
    );
    expect(token?.sentence).toBe('Sam Patel (with API token 3) submitted the audit of case DS100265');
  });
});
