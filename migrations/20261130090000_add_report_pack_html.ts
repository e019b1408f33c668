import type { Knex } from 'knex';

/**
 * The board pack's HTML twin, kept beside its PDF: made from the same document at the same moment, so a
 * reader who cannot use the PDF (a screen reader on a phone, a narrow screen) reads the same pack.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('report_pack', (t) => {
    t.text('html').comment(
      'The same pack as an accessible HTML page, made with the PDF from the same figures; empty for packs made before HTML was kept.',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('report_pack', (t) => {
    t.dropColumn('html');
  });
}
