import type { Knex } from 'knex';

/**
 * Escalation of overdue remediation: a record whose response or actions are overdue goes to the head of
 * service of the case's area, and, still overdue some working days later, to the director. One row a step,
 * so the sweep escalates each step once however often (or on however many servers) it runs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('remediation_escalation', (t) => {
    t.comment(
      'Each step of the escalation of an overdue remediation record: to the head of service, then the director.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.integer('record_id').notNullable().references('remediation_record.id').comment('The overdue record.');
    t.text('step')
      .notNullable()
      .checkIn(['head_of_service', 'director'], 'remediation_escalation_step_check')
      .comment('head_of_service (first) or director (still overdue after a further period).');
    t.specificType('recipient_user_ids', 'integer[]')
      .notNullable()
      .comment(
        'The users it went to (the heads of service of the case’s area, or the directors); empty when nobody holds the role.',
      );
    t.jsonb('overdue')
      .notNullable()
      .comment('What was overdue: { response: boolean, actions: number, completion: boolean }.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it escalated.');
    t.unique(['record_id', 'step'], { indexName: 'remediation_escalation_once' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('remediation_escalation');
}
