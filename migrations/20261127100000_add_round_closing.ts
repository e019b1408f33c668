import type { Knex } from 'knex';

const STATUSES_BEFORE = ['unallocated', 'allocated', 'in_progress', 'submitted'];
const STATUSES = [...STATUSES_BEFORE, 'cancelled'];
const inList = (values: string[]) => values.map((s) => `'${s}'`).join(', ');

/**
 * Closing a round: who closed it and when, and what became of the audits not yet submitted. They are
 * cancelled with a reason, or carried over to another open round of the same framework version (an open
 * audit always belongs to an open round, so the closed round's figures are final).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_round', (t) => {
    t.timestamp('closed_at', { useTz: true }).comment('When the round was closed; empty while it is open.');
    t.integer('closed_by_user_id').references('app_user.id').comment('Who closed the round.');
    t.text('unsubmitted_outcome')
      .checkIn(['none', 'cancelled', 'carried_over'], 'audit_round_unsubmitted_outcome_check')
      .comment(
        'What closing did with the audits not yet submitted: none (every audit was submitted), cancelled (with a reason) or carried_over (to carried_over_to_round_id).',
      );
    t.integer('carried_over_to_round_id')
      .references('audit_round.id')
      .comment('The open round the unsubmitted audits were moved to, when they were carried over.');
  });
  await knex.raw(`alter table audit_round add constraint audit_round_closed_check
                  check ((status = 'closed') = (closed_at is not null and unsubmitted_outcome is not null)
                         and ((unsubmitted_outcome = 'carried_over') = (carried_over_to_round_id is not null)))`);

  await knex.raw('alter table audit drop constraint audit_status_check');
  await knex.raw(
    `alter table audit add constraint audit_status_check check (status in (${inList(STATUSES)}))`,
  );
  await knex.raw(
    `comment on column audit.status is 'unallocated (no auditor yet), allocated (not started), in_progress (a draft is saved), submitted, or cancelled (its round was closed before it was submitted; see cancelled_reason).'`,
  );
  await knex.schema.alterTable('audit', (t) => {
    t.text('cancelled_reason').comment(
      'Why the audit was cancelled, as the administrator who closed its round gave it.',
    );
    t.timestamp('cancelled_at', { useTz: true }).comment('When the audit was cancelled.');
    t.integer('cancelled_by_user_id')
      .references('app_user.id')
      .comment('Who cancelled it (closed its round).');
    t.integer('carried_over_from_round_id')
      .references('audit_round.id')
      .comment(
        'The closed round the audit was last carried over from, with its draft and allocation, when that round closed before it was submitted.',
      );
    t.index(['carried_over_from_round_id'], 'audit_carried_over_from_idx');
  });
  await knex.raw(`alter table audit add constraint audit_cancelled_check
                  check ((status = 'cancelled') = (cancelled_at is not null and cancelled_reason is not null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table audit drop constraint audit_cancelled_check');
  // A cancelled audit goes back to where it stood: a draft in progress, allocated, or not allocated.
  await knex.raw(`update audit set status = case when current_revision > 0 then 'in_progress'
                                                 when auditor_user_id is null then 'unallocated'
                                                 else 'allocated' end
                  where status = 'cancelled'`);
  await knex.schema.alterTable('audit', (t) => {
    t.dropIndex(['carried_over_from_round_id'], 'audit_carried_over_from_idx');
    t.dropColumn('carried_over_from_round_id');
    t.dropColumn('cancelled_by_user_id');
    t.dropColumn('cancelled_at');
    t.dropColumn('cancelled_reason');
  });
  await knex.raw('alter table audit drop constraint audit_status_check');
  await knex.raw(
    `alter table audit add constraint audit_status_check check (status in (${inList(STATUSES_BEFORE)}))`,
  );
  await knex.raw(
    `comment on column audit.status is 'unallocated (no auditor yet), allocated (not started), in_progress (a draft is saved) or submitted.'`,
  );
  await knex.raw('alter table audit_round drop constraint audit_round_closed_check');
  await knex.schema.alterTable('audit_round', (t) => {
    t.dropColumn('carried_over_to_round_id');
    t.dropColumn('unsubmitted_outcome');
    t.dropColumn('closed_by_user_id');
    t.dropColumn('closed_at');
  });
}
