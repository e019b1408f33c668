import { Router, type Request, type Response } from 'express';
import type { FieldErrors } from '../http/form-fields';
import { formValues, one, type FormValues } from '../http/form-values';
import { actorOf } from '../http/actor';
import { idParam } from '../http/params';
import type { OrganisationAdminService } from '../organisation/admin-service';
import { TEAM_KINDS, TEAM_KIND_LABELS, type Team } from '../organisation/types';
import { formErrorsOf, formView, type AdminField } from './fields';

interface Services {
  organisationAdmin: OrganisationAdminService;
}

const MESSAGES: Record<string, string> = {
  name: 'Enter the team’s name, as the case-management system spells it',
  kind: 'Select the kind of work',
  localityId: 'Select a locality',
  serviceAreaId: 'Select a service area',
};

/** "none" on the form is no locality or service area; anything else is sent as an id for the service to check. */
const placeId = (values: FormValues, name: string) => {
  const value = one(values, name);
  return value === 'none' ? null : /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : value || undefined;
};

const teamInput = (values: FormValues) => ({
  name: one(values, 'name'),
  kind: one(values, 'kind') || undefined,
  localityId: placeId(values, 'localityId'),
  serviceAreaId: placeId(values, 'serviceAreaId'),
});

async function teamFields(organisation: OrganisationAdminService, values: FormValues): Promise<AdminField[]> {
  const [localities, areas] = await Promise.all([
    organisation.listLocalities(),
    organisation.listServiceAreas(),
  ]);
  const radios = (
    name: string,
    legend: string,
    hint: string,
    places: { id: number; name: string }[],
    none: string,
  ) => ({
    kind: 'radios' as const,
    name,
    legend,
    hint,
    small: true,
    items: [
      ...places.map((place) => ({
        value: String(place.id),
        text: place.name,
        checked: one(values, name) === String(place.id),
      })),
      { value: 'none', text: none, dividerBefore: 'or', checked: one(values, name) === 'none' },
    ],
  });
  return [
    {
      kind: 'input',
      name: 'name',
      label: 'Name',
      hint: 'As the case-management system spells it: case lists are matched to teams by name.',
      value: one(values, 'name'),
    },
    {
      kind: 'radios',
      name: 'kind',
      legend: 'Kind of work',
      small: true,
      items: TEAM_KINDS.map((kind) => ({
        value: kind,
        text: TEAM_KIND_LABELS[kind],
        checked: one(values, 'kind') === kind,
      })),
    },
    radios(
      'localityId',
      'Locality',
      'Where the team works.',
      localities,
      'No locality (works across the county)',
    ),
    radios(
      'serviceAreaId',
      'Service area',
      'Its head of service sees the team’s cases and audits and receives its escalations.',
      areas,
      'No service area',
    ),
  ];
}

const valuesOf = (team: Team): FormValues => ({
  name: team.name,
  kind: team.kind,
  localityId: team.localityId === null ? 'none' : String(team.localityId),
  serviceAreaId: team.serviceAreaId === null ? 'none' : String(team.serviceAreaId),
});

export function teamPages({ organisationAdmin }: Services): Router {
  const router = Router();
  const teamsLink = { href: '/admin/teams', text: 'Teams and staff' };

  router.get('/admin/teams', async (_req, res) => {
    res.render('admin/teams/index', {
      title: 'Teams and staff',
      backLink: { href: '/admin', text: 'Administration' },
      teams: await organisationAdmin.listTeams(),
    });
  });

  async function renderForm(
    res: Response,
    page: { title: string; action: string; button: string; back: { href: string; text: string } },
    values: FormValues,
    errors: FieldErrors = {},
    status = 200,
  ) {
    res.status(status).render('admin/form', {
      ...page,
      heading: page.title,
      backLink: page.back,
      ...formView(await teamFields(organisationAdmin, values), errors),
    });
  }

  const newPage = {
    title: 'Add a team',
    action: '/admin/teams/new',
    button: 'Add the team',
    back: teamsLink,
  };

  router.get('/admin/teams/new', (_req, res) => renderForm(res, newPage, {}));

  router.post('/admin/teams/new', async (req: Request, res) => {
    const values = formValues(req.body);
    try {
      const team = await organisationAdmin.addTeam(teamInput(values), actorOf(req));
      req.session.notice = { text: `${team.name} has been added.`, success: true };
      res.redirect(303, `/admin/teams/${team.id}`);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'name');
      await renderForm(res, newPage, values, errors, status);
    }
  });

  router.get('/admin/teams/:id', async (req, res) => {
    const id = idParam(req);
    const team = await organisationAdmin.getTeam(id);
    res.render('admin/teams/show', {
      title: team.name,
      backLink: teamsLink,
      team,
      staff: await organisationAdmin.listStaff(id),
    });
  });

  const editPage = (team: Team) => ({
    title: `Change ${team.name}`,
    action: `/admin/teams/${team.id}/edit`,
    button: 'Save the changes',
    back: { href: `/admin/teams/${team.id}`, text: team.name },
  });

  router.get('/admin/teams/:id/edit', async (req, res) => {
    const team = await organisationAdmin.getTeam(idParam(req));
    await renderForm(res, editPage(team), valuesOf(team));
  });

  router.post('/admin/teams/:id/edit', async (req, res) => {
    const id = idParam(req);
    const values = formValues(req.body);
    try {
      const team = await organisationAdmin.updateTeam(id, teamInput(values), actorOf(req));
      req.session.notice = { text: `${team.name} has been saved.`, success: true };
      res.redirect(303, `/admin/teams/${id}`);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'name');
      await renderForm(res, editPage(await organisationAdmin.getTeam(id)), values, errors, status);
    }
  });

  async function renderClose(res: Response, team: Team, errors: FieldErrors = {}, status = 200) {
    const staff = (await organisationAdmin.listStaff(team.id)).filter((person) => person.active);
    res.status(status).render('admin/teams/close', {
      title: `Close ${team.name}`,
      backLink: { href: `/admin/teams/${team.id}`, text: team.name },
      team,
      staff,
      errorList: Object.values(errors).map((message) => ({ field: 'staff', message })),
    });
  }

  router.get('/admin/teams/:id/close', async (req, res) => {
    await renderClose(res, await organisationAdmin.getTeam(idParam(req)));
  });

  router.post('/admin/teams/:id/close', async (req, res) => {
    const id = idParam(req);
    try {
      const team = await organisationAdmin.closeTeam(id, actorOf(req));
      req.session.notice = {
        text: `${team.name} is closed. Its cases, audits and history are kept.`,
        success: true,
      };
      res.redirect(303, `/admin/teams/${id}`);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, { staff: '' }, 'staff');
      await renderClose(res, await organisationAdmin.getTeam(id), errors, status);
    }
  });

  router.post('/admin/teams/:id/reopen', async (req, res) => {
    const team = await organisationAdmin.reopenTeam(idParam(req), actorOf(req));
    req.session.notice = { text: `${team.name} is open again.`, success: true };
    res.redirect(303, `/admin/teams/${team.id}`);
  });

  return router;
}
