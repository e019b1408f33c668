import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

/** A child whose record a case list marked restricted, as its latest such record shows them. */
export interface RestrictedCase {
  caseRef: string;
  caseType: string;
  teamName: string;
  /** The latest import that marked the child restricted. */
  importId: number;
  grants: Grant[];
}

/** A user granted a restricted case. */
export interface Grant {
  userId: number;
  name: string;
  email: string;
  active: boolean;
  reason: string;
  grantedAt: Date;
  grantedByName: string | null;
}

interface GrantRow extends Grant {
  caseRef: string;
}

function selectGrants(ex: Executor) {
  return knexOf(ex)('restricted_case_access as g')
    .join('app_user as u', 'u.id', 'g.user_id')
    .leftJoin('app_user as b', 'b.id', 'g.granted_by_user_id')
    .orderBy(['g.case_ref', 'u.display_name'])
    .select<GrantRow[]>(
      'g.case_ref as caseRef',
      'g.user_id as userId',
      'u.display_name as name',
      'u.email',
      'u.active',
      'g.reason',
      'g.granted_at as grantedAt',
      'b.display_name as grantedByName',
    );
}

export const restrictedCaseRepository = {
  /** Every child marked restricted by any import, by case reference, with who was granted each. */
  async list(ex: Executor, caseRef?: string): Promise<RestrictedCase[]> {
    const cases = knexOf(ex)('case_record as c')
      .join('team as t', 't.id', 'c.team_id')
      .where('c.restricted', true)
      .distinctOn('c.case_ref')
      .orderBy([{ column: 'c.case_ref' }, { column: 'c.import_id', order: 'desc' }])
      .select<Omit<RestrictedCase, 'grants'>[]>(
        'c.case_ref as caseRef',
        'c.case_type as caseType',
        't.name as teamName',
        'c.import_id as importId',
      );
    const grants = selectGrants(ex);
    if (caseRef !== undefined) {
      cases.where('c.case_ref', caseRef);
      grants.where('g.case_ref', caseRef);
    }
    const [found, granted] = await Promise.all([cases, grants]);
    return found.map((c) => ({
      ...c,
      grants: granted.filter((g) => g.caseRef === c.caseRef).map(({ caseRef: _ref, ...g }) => g),
    }));
  },

  /** Grants the case to the user; false when they already had it. */
  async grant(
    ex: Executor,
    grant: { caseRef: string; userId: number; reason: string; grantedByUserId: number | null },
  ): Promise<boolean> {
    const rows = await knexOf(ex)('restricted_case_access')
      .insert({
        case_ref: grant.caseRef,
        user_id: grant.userId,
        reason: grant.reason,
        granted_by_user_id: grant.grantedByUserId,
      })
      .onConflict(['case_ref', 'user_id'])
      .ignore()
      .returning('user_id');
    return rows.length > 0;
  },

  /** Takes the grant away; the grant it was, or undefined when there was none. */
  async revoke(ex: Executor, caseRef: string, userId: number): Promise<{ reason: string } | undefined> {
    const [row] = await knexOf(ex)('restricted_case_access')
      .where({ case_ref: caseRef, user_id: userId })
      .delete()
      .returning<{ reason: string }[]>('reason');
    return row;
  },
};
