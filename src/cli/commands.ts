import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../activity-log/actor';
import { ROLES } from '../auth/roles';
import { migrateDownAll, migrateLatest } from '../db/migrations';
import { NotFoundError } from '../errors';
import { seedDemoActivity } from '../demo/activity';
import { seedDemoHistory } from '../demo/history';
import { seedDemo } from '../demo/seed';
import { FRAMEWORKS_DIR } from '../paths';
import type { ApiToken } from '../tokens/repository';
import type { CliContext } from './context';

function tokenStatus(token: ApiToken, now: Date): string {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt <= now) return 'expired';
  return 'active';
}

function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const iso = (date: Date | null) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '-');

export function registerCommands(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (the server also does this at start-up)')
    .option('--down-all', 'undo every migration: this deletes all data')
    .action(async (opts: { downAll?: boolean }) => {
      await ctx.withDatabase(async (knex) => {
        if (opts.downAll) {
          await migrateDownAll(knex);
          ctx.print('Every migration has been undone.');
          return;
        }
        const applied = await migrateLatest(knex);
        ctx.print(
          applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database schema is up to date.',
        );
      });
    });

  program
    .command('seed-demo')
    .description(
      'create the Demoshire demo organisation, users, case list and audit rounds (idempotent; loads the frameworks folder first)',
    )
    .action(async () => {
      const { organisation, activity, history } = await ctx.withServices(async (services, { db }) => {
        await services.frameworks.loadDirectory(FRAMEWORKS_DIR, SYSTEM_ACTOR);
        return {
          organisation: await seedDemo(db, services.activityLog, SYSTEM_ACTOR),
          activity: await seedDemoActivity(services, SYSTEM_ACTOR, db),
          history: await seedDemoHistory(services, db, SYSTEM_ACTOR),
        };
      });
      ctx.print(
        `Demo data ready: ${organisation.teams} teams, ${organisation.people} staff, ${organisation.usersCreated} users created.`,
      );
      ctx.print(
        `Case list: ${activity.casesInList} cases${activity.importCreated ? ' imported' : ', already imported'}. Audit rounds created: ${activity.roundsCreated.length ? activity.roundsCreated.join('; ') : 'none'}.`,
      );
      const grading = activity.grading;
      if (grading)
        ctx.print(
          `Audits: ${grading.submitted} submitted, ${grading.drafts} in progress, ${grading.moderated} moderated${grading.calibration ? '; a calibration exercise' : ''}.`,
        );
      if (history)
        ctx.print(
          `History: ${history.months} months, ${history.submitted} audits submitted, ${history.moderated} moderated, ${history.recordsClosed} remediation records closed, ${history.reaudits} re-audits${history.pack ? ", last month's board pack made" : ''}.`,
        );
    });

  const token = program.command('token').description('manage API bearer tokens');
  token
    .command('create')
    .description('create a token acting as a user; it is printed once and only its hash is kept')
    .requiredOption('--email <email>', 'the user the token acts as')
    .option('--name <name>', 'what the token is for', 'API token')
    .option('--expires <duration>', 'lifetime, such as 90m, 12h, 30d or 8w (default: no expiry)')
    .action(async (opts: { email: string; name: string; expires?: string }) => {
      const { token: secret, record } = await ctx.withServices((services) =>
        services.tokens.create({ email: opts.email, name: opts.name, expires: opts.expires }, SYSTEM_ACTOR),
      );
      ctx.print(
        `Token ${record.id} created for ${record.userEmail}, ${record.expiresAt ? `expiring ${record.expiresAt.toISOString()}` : 'with no expiry'}.`,
      );
      ctx.print('Copy it now: it is not shown again.');
      ctx.print();
      ctx.print(secret);
    });

  token
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .option('--email <email>', "only this user's tokens")
    .action(async (opts: { email?: string }) => {
      const tokens = await ctx.withServices(async (services) => {
        if (!opts.email) return services.tokens.list();
        const user = await services.users.findByEmail(opts.email);
        return user ? services.tokens.list(user.id) : [];
      });
      if (tokens.length === 0) return ctx.print('No tokens.');
      const now = new Date();
      ctx.print(
        formatTable([
          ['ID', 'USER', 'NAME', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'STATUS'],
          ...tokens.map((t) => [
            String(t.id),
            t.userEmail,
            t.name,
            `${t.tokenPrefix}…`,
            iso(t.createdAt),
            iso(t.expiresAt),
            iso(t.lastUsedAt),
            tokenStatus(t, now),
          ]),
        ]),
      );
    });

  token
    .command('revoke')
    .description('revoke a token by its id (see token list); it stops working at once')
    .argument('<id>', 'token id', (value) => {
      if (!/^[1-9][0-9]*$/.test(value))
        throw new Error(`the token id must be a whole number, not "${value}"`);
      return Number(value);
    })
    .action(async (id: number) => {
      const revoked = await ctx.withServices((services) => services.tokens.revoke(id, SYSTEM_ACTOR));
      ctx.print(`Token ${revoked.id} (${revoked.name}, ${revoked.userEmail}) is revoked.`);
    });

  const user = program.command('user').description('manage users');
  user
    .command('add')
    .description('add a user with one or more roles')
    .requiredOption('--email <email>', 'work email, used to sign in')
    .requiredOption('--name <name>', 'name shown in the service')
    .requiredOption('--role <role...>', `one or more of: ${ROLES.join(', ')}`)
    .option('--team <code...>', 'codes of the teams they manage (team managers)')
    .option('--service-area <code...>', 'codes of the service areas they lead (heads of service)')
    .option('--link-person', 'link them to the staff record with the same email')
    .action(
      async (opts: {
        email: string;
        name: string;
        role: string[];
        team?: string[];
        serviceArea?: string[];
        linkPerson?: boolean;
      }) => {
        const added = await ctx.withServices((services) =>
          services.users.add(
            {
              email: opts.email,
              displayName: opts.name,
              roles: opts.role,
              ...(opts.team ? { teamCodes: opts.team } : {}),
              ...(opts.serviceArea ? { serviceAreaCodes: opts.serviceArea } : {}),
              ...(opts.linkPerson ? { linkPerson: true } : {}),
            },
            SYSTEM_ACTOR,
          ),
        );
        ctx.print(
          `User ${added.id} added: ${added.displayName} <${added.email}>, roles ${added.roles.join(', ')}.`,
        );
      },
    );

  for (const [name, description] of [
    ['deactivate', 'stop a user signing in: their sessions end and their API tokens are revoked at once'],
    ['reactivate', 'let a deactivated user sign in again'],
  ] as const) {
    user
      .command(name)
      .description(description)
      .requiredOption('--email <email>', 'the user')
      .action(async (opts: { email: string }) => {
        const changed = await ctx.withServices(async (services) => {
          const found = await services.users.findByEmail(opts.email);
          if (!found) throw new NotFoundError(`There is no user with the email ${opts.email}.`);
          return services.users[name](found.id, SYSTEM_ACTOR);
        });
        ctx.print(
          `${changed.displayName} <${changed.email}> is ${changed.active ? 'active' : 'deactivated'}.`,
        );
      });
  }

  program
    .command('remediation-sweep')
    .description(
      'escalate overdue remediation records: to the head of service, then (still overdue) to the director; idempotent',
    )
    .action(async () => {
      const result = await ctx.withServices((services) => services.remediation.sweep(SYSTEM_ACTOR));
      ctx.print(
        `${result.overdue} overdue records: ${result.toHeadsOfService} escalated to heads of service, ${result.toDirectors} to directors.`,
      );
    });
}
