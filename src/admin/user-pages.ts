import { Router, type Request, type Response } from 'express';
import { ROLES, ROLE_LABELS } from '../auth/roles';
import type { FieldErrors } from '../http/form-fields';
import { formValues, many, one, type FormValues } from '../http/form-values';
import { actorOf } from '../http/actor';
import { currentUser } from '../http/authorise';
import { idParam } from '../http/params';
import type { OrganisationAdminService } from '../organisation/admin-service';
import type { Team } from '../organisation/types';
import type { UsersService } from '../users/service';
import type { User } from '../users/user';
import { formErrorsOf, formView, type AdminField } from './fields';

interface Services {
  users: UsersService;
  organisationAdmin: OrganisationAdminService;
}

const ROLE_HINTS: Record<(typeof ROLES)[number], string> = {
  admin: 'Manages users, teams, frameworks, case lists and audit rounds; reads the audit log.',
  auditor: 'Grades the audits allocated to them.',
  moderator: 'Second-looks a share of audits.',
  team_manager: 'Sees the cases and audits of the teams they manage.',
  head_of_service: 'Sees the teams of the service areas they lead; receives escalations.',
  director: 'Reports only, with no child-level detail.',
};

const MESSAGES: Record<string, string> = {
  displayName: 'Enter their full name',
  email: 'Enter an email address in the correct format, like name@council.gov.uk',
  roles: 'Select at least one role',
  teamIds: 'Select the teams they manage',
  serviceAreaIds: 'Select the service areas they lead',
  linkPerson: 'There is no member of staff with this email',
  active: 'This user cannot be deactivated',
};

const ids = (values: FormValues, name: string) => many(values, name).map(Number).filter(Number.isSafeInteger);

/** Roles, teams managed and service areas led: asked when adding a user and when changing them. */
async function responsibilityFields(
  services: Services,
  values: FormValues,
  user?: User,
): Promise<AdminField[]> {
  const [teams, areas] = await Promise.all([
    services.organisationAdmin.listTeams(),
    services.organisationAdmin.listServiceAreas(),
  ]);
  const held = user?.managedTeamIds ?? [];
  const chosen = (name: string) => many(values, name);
  // A closed team is offered only to those who already manage it (to keep or to give up).
  const offered = teams.filter((team: Team) => team.active || held.includes(team.id));
  return [
    {
      kind: 'checkboxes',
      name: 'roles',
      legend: 'Roles',
      hint: 'Select all that apply.',
      items: ROLES.map((role) => ({
        value: role,
        text: ROLE_LABELS[role],
        hint: ROLE_HINTS[role],
        checked: chosen('roles').includes(role),
      })),
    },
    {
      kind: 'checkboxes',
      name: 'teamIds',
      legend: 'Teams they manage',
      hint: 'For team managers. Nobody audits or moderates the cases of a team they manage.',
      small: true,
      items: offered.map((team) => ({
        value: String(team.id),
        text: team.active ? team.name : `${team.name} (closed)`,
        checked: chosen('teamIds').includes(String(team.id)),
      })),
    },
    {
      kind: 'checkboxes',
      name: 'serviceAreaIds',
      legend: 'Service areas they lead',
      hint: 'For heads of service. Nobody audits or moderates the cases of a service area they lead.',
      small: true,
      items: areas.map((area) => ({
        value: String(area.id),
        text: area.name,
        checked: chosen('serviceAreaIds').includes(String(area.id)),
      })),
    },
  ];
}

function valuesOf(user: User): FormValues {
  return {
    roles: [...user.roles],
    teamIds: user.managedTeamIds.map(String),
    serviceAreaIds: user.serviceAreaIds.map(String),
  };
}

export function userPages(services: Services): Router {
  const { users, organisationAdmin } = services;
  const router = Router();

  router.get('/admin/users', async (_req, res) => {
    const [all, teams] = await Promise.all([users.list(), organisationAdmin.listTeams()]);
    const teamName = new Map(teams.map((team) => [team.id, team.name]));
    res.render('admin/users/index', {
      title: 'Users and roles',
      backLink: { href: '/admin', text: 'Administration' },
      users: all.map((user) => ({
        ...user,
        teamNames: user.managedTeamIds.map((id) => teamName.get(id)),
      })),
    });
  });

  async function renderNew(res: Response, values: FormValues = {}, errors: FieldErrors = {}, status = 200) {
    const fields: AdminField[] = [
      { kind: 'input', name: 'displayName', label: 'Full name', value: one(values, 'displayName') },
      {
        kind: 'input',
        name: 'email',
        label: 'Work email address',
        hint: 'They sign in with this.',
        value: one(values, 'email'),
      },
      ...(await responsibilityFields(services, values)),
      {
        kind: 'checkboxes',
        name: 'linkPerson',
        legend: 'Staff record',
        hint: 'Linking them to their staff record tells the service their own team, so they are never given its cases.',
        small: true,
        items: [
          {
            value: 'yes',
            text: 'Link them to the member of staff with this email',
            checked: one(values, 'linkPerson') === 'yes',
          },
        ],
      },
    ];
    res.status(status).render('admin/form', {
      title: 'Add a user',
      heading: 'Add a user',
      action: '/admin/users/new',
      button: 'Add the user',
      backLink: { href: '/admin/users', text: 'Users and roles' },
      ...formView(fields, errors),
    });
  }

  router.get('/admin/users/new', (_req, res) => renderNew(res));

  router.post('/admin/users/new', async (req: Request, res) => {
    const values = formValues(req.body);
    try {
      const user = await users.add(
        {
          displayName: one(values, 'displayName'),
          email: one(values, 'email'),
          roles: many(values, 'roles'),
          teamIds: ids(values, 'teamIds'),
          serviceAreaIds: ids(values, 'serviceAreaIds'),
          linkPerson: one(values, 'linkPerson') === 'yes',
        },
        actorOf(req),
      );
      req.session.notice = { text: `${user.displayName} has been added.`, success: true };
      res.redirect(303, `/admin/users/${user.id}`);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'email');
      await renderNew(res, values, errors, status);
    }
  });

  router.get('/admin/users/:id', async (req, res) => {
    const user = await users.get(idParam(req));
    const [teams, areas, person] = await Promise.all([
      organisationAdmin.listTeams(),
      organisationAdmin.listServiceAreas(),
      user.personId ? organisationAdmin.getPerson(user.personId) : undefined,
    ]);
    res.render('admin/users/show', {
      title: user.displayName,
      backLink: { href: '/admin/users', text: 'Users and roles' },
      user,
      person,
      isSelf: user.id === currentUser(req).id,
      teams: teams.filter((team) => user.managedTeamIds.includes(team.id)),
      areas: areas.filter((area) => user.serviceAreaIds.includes(area.id)),
    });
  });

  async function renderRoles(
    res: Response,
    user: User,
    values: FormValues,
    errors: FieldErrors = {},
    status = 200,
  ) {
    res.status(status).render('admin/form', {
      title: `Change ${user.displayName}’s roles`,
      heading: 'Change roles and responsibilities',
      caption: user.displayName,
      action: `/admin/users/${user.id}/roles`,
      button: 'Save the changes',
      backLink: { href: `/admin/users/${user.id}`, text: user.displayName },
      ...formView(await responsibilityFields(services, values, user), errors),
    });
  }

  router.get('/admin/users/:id/roles', async (req, res) => {
    const user = await users.get(idParam(req));
    await renderRoles(res, user, valuesOf(user));
  });

  router.post('/admin/users/:id/roles', async (req, res) => {
    const id = idParam(req);
    const values = formValues(req.body);
    try {
      const user = await users.update(
        id,
        {
          roles: many(values, 'roles'),
          teamIds: ids(values, 'teamIds'),
          serviceAreaIds: ids(values, 'serviceAreaIds'),
        },
        actorOf(req),
      );
      req.session.notice = { text: `${user.displayName}’s roles have been saved.`, success: true };
      // Someone who has just given up their own administrator role can no longer open the admin pages.
      const self = user.id === currentUser(req).id && !user.roles.includes('admin');
      res.redirect(303, self ? '/' : `/admin/users/${id}`);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'roles');
      const user = await users.get(id);
      await renderRoles(res, user, values, errors, status);
    }
  });

  function renderDeactivate(res: Response, user: User, errors: FieldErrors = {}, status = 200) {
    res.status(status).render('admin/users/deactivate', {
      title: `Deactivate ${user.displayName}`,
      backLink: { href: `/admin/users/${user.id}`, text: user.displayName },
      user,
      errorList: Object.values(errors).map((message) => ({ field: 'deactivate', message })),
    });
  }

  router.get('/admin/users/:id/deactivate', async (req, res) => {
    const user = await users.get(idParam(req));
    renderDeactivate(res, user);
  });

  router.post('/admin/users/:id/deactivate', async (req, res) => {
    const id = idParam(req);
    try {
      const user = await users.deactivate(id, actorOf(req));
      req.session.notice = {
        text: `${user.displayName} has been deactivated: they are signed out and their API tokens are revoked.`,
        success: true,
      };
      res.redirect(303, `/admin/users/${id}`);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'active');
      const user = await users.get(id);
      renderDeactivate(res, user, errors, status);
    }
  });

  router.post('/admin/users/:id/sign-out', async (req, res) => {
    const { user, sessionsEnded } = await users.signOutEverywhere(idParam(req), actorOf(req));
    const sessions = sessionsEnded === 1 ? '1 session' : `${sessionsEnded} sessions`;
    if (user.id === currentUser(req).id) return res.redirect(303, '/sign-in');
    req.session.notice = {
      text: `${user.displayName} has been signed out everywhere (${sessions} ended).`,
      success: true,
    };
    res.redirect(303, `/admin/users/${user.id}`);
  });

  router.post('/admin/users/:id/reactivate', async (req, res) => {
    const user = await users.reactivate(idParam(req), actorOf(req));
    req.session.notice = { text: `${user.displayName} can sign in again.`, success: true };
    res.redirect(303, `/admin/users/${user.id}`);
  });

  return router;
}
