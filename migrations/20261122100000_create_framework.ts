import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('framework', (t) => {
    t.comment('An audit framework (audit tool), by its stable id; its content lives in framework_version.');
    t.text('id')
      .primary()
      .comment('Stable id of the framework across versions (a slug, such as child-protection-thematic).');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When its first version was loaded.');
  });

  await knex.schema.createTable('framework_version', (t) => {
    t.comment(
      'One immutable version of a framework: the checked, normalised document and its hash. Audits pin the version they were made with. Triggers refuse UPDATE and DELETE.',
    );
    t.specificType('id', 'integer generated always as identity')
      .primary()
      .comment('Surrogate key, for audits to refer to.');
    t.text('framework_id')
      .notNullable()
      .references('framework.id')
      .comment('The framework this is a version of.');
    t.text('version').notNullable().comment('Semantic version (major.minor.patch).');
    t.text('title').notNullable().comment('Title of this version, for lists.');
    t.jsonb('content')
      .notNullable()
      .comment('The normalised framework document (format: audit-frameworks/framework.schema.json).');
    t.text('content_hash')
      .notNullable()
      .comment(
        'SHA-256 of the canonical JSON of content; the same id and version must always have the same hash.',
      );
    t.text('source')
      .notNullable()
      .checkIn(['file', 'upload', 'cli'], 'framework_version_source_check')
      .comment('How it was loaded: file (audit-frameworks/ at start-up), upload (web or API) or cli.');
    t.text('source_name').comment('File name it was loaded from, if any.');
    t.integer('loaded_by_user_id')
      .references('app_user.id')
      .comment('Who loaded it (empty for start-up and the CLI).');
    t.timestamp('loaded_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was loaded.');
    t.unique(['framework_id', 'version'], { indexName: 'framework_version_unique' });
  });

  await knex.raw(`
    create function framework_version_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'framework versions are immutable: % is not allowed; load a new version instead', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`);
  await knex.raw(
    "comment on function framework_version_refuse_change() is 'Keeps framework versions immutable.'",
  );
  await knex.raw(`create trigger framework_version_immutable before update or delete on framework_version
    for each row execute function framework_version_refuse_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('framework_version');
  await knex.raw('drop function framework_version_refuse_change()');
  await knex.schema.dropTable('framework');
}
