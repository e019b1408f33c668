import { Router, type Request, type Response } from 'express';
import type { FieldErrors } from '../http/form-fields';
import { formValues, one, type FormValues } from '../http/form-values';
import { actorOf } from '../http/actor';
import { idParam, queryId } from '../http/params';
import type { OrganisationAdminService } from '../organisation/admin-service';
import type { StaffMember } from '../organisation/types';
import { formErrorsOf, formView, type AdminField } from './fields';

interface Services {
  organisationAdmin: OrganisationAdminService;
}

const MESSAGES: Record<string, string> = {
  displayName: 'Enter their name, as the case-management system shows it',
  jobTitle: 'Job title must be 200 characters or fewer',
  teamId: 'Select their team',
  lineManagerId: 'Select their line manager, or no line manager',
  email: 'Enter an email address in the correct format, like name@council.gov.uk',
  externalRef: 'Their case-management id must be 100 characters or fewer',
};

/** A select's value as an id, or the text as sent for the service to refuse; blank is none. */
const idOrText = (values: FormValues, name: string) => {
  const value = one(values, name);
  return /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : value || null;
};

async function personFields(
  organisation: OrganisationAdminService,
  values: FormValues,
  person?: StaffMember,
): Promise<AdminField[]> {
  const [teams, staff] = await Promise.all([organisation.listTeams(), organisation.listStaff()]);
  // Staff join open teams only; someone already in a closed team can stay there.
  const teamOptions = teams
    .filter((team) => team.active || team.id === person?.teamId)
    .map((team) => ({ value: String(team.id), text: team.active ? team.name : `${team.name} (closed)` }));
  const managers = new Map<string, { value: string; text: string }[]>();
  for (const candidate of staff) {
    if (!candidate.active || candidate.id === person?.id) continue;
    const group = candidate.teamName ?? 'No team';
    managers.set(group, [
      ...(managers.get(group) ?? []),
      {
        value: String(candidate.id),
        text: `${candidate.displayName}${candidate.jobTitle ? `, ${candidate.jobTitle}` : ''}`,
      },
    ]);
  }
  return [
    {
      kind: 'input',
      name: 'displayName',
      label: 'Name',
      hint: 'As the case-management system shows it: case lists are matched to staff by name.',
      value: one(values, 'displayName'),
    },
    { kind: 'input', name: 'jobTitle', label: 'Job title (optional)', value: one(values, 'jobTitle') },
    {
      kind: 'select',
      name: 'teamId',
      label: 'Team',
      hint: 'Nobody audits or moderates the cases of their own team.',
      value: one(values, 'teamId'),
      options: [{ value: '', text: 'Choose a team' }, ...teamOptions],
    },
    {
      kind: 'select',
      name: 'lineManagerId',
      label: 'Line manager',
      hint: 'Nobody audits the cases of the staff they manage.',
      value: one(values, 'lineManagerId'),
      options: [{ value: '', text: 'No line manager' }],
      groups: [...managers].map(([label, options]) => ({ label, options })),
    },
    {
      kind: 'input',
      name: 'email',
      label: 'Work email address (optional)',
      hint: 'Links them to their user account, if they have one.',
      value: one(values, 'email'),
    },
    ...(person
      ? []
      : [
          {
            kind: 'input' as const,
            name: 'externalRef',
            label: 'Case-management system id (optional)',
            value: one(values, 'externalRef'),
            width: 10 as const,
          },
        ]),
  ];
}

const valuesOf = (person: StaffMember): FormValues => ({
  displayName: person.displayName,
  jobTitle: person.jobTitle ?? '',
  teamId: person.teamId === null ? '' : String(person.teamId),
  lineManagerId: person.lineManagerId === null ? '' : String(person.lineManagerId),
  email: person.email ?? '',
});

const personInput = (values: FormValues) => ({
  displayName: one(values, 'displayName'),
  jobTitle: one(values, 'jobTitle') || null,
  teamId: idOrText(values, 'teamId'),
  lineManagerId: idOrText(values, 'lineManagerId'),
  email: one(values, 'email') || null,
});

export function peoplePages({ organisationAdmin }: Services): Router {
  const router = Router();

  async function renderNew(res: Response, values: FormValues, errors: FieldErrors = {}, status = 200) {
    const team = /^[1-9][0-9]{0,9}$/.test(one(values, 'teamId'))
      ? (await organisationAdmin.listTeams()).find((t) => String(t.id) === one(values, 'teamId'))
      : undefined;
    res.status(status).render('admin/form', {
      title: 'Add a member of staff',
      heading: 'Add a member of staff',
      action: '/admin/people/new',
      button: 'Add them',
      backLink: team
        ? { href: `/admin/teams/${team.id}`, text: team.name }
        : { href: '/admin/teams', text: 'Teams and staff' },
      ...formView(await personFields(organisationAdmin, values), errors),
    });
  }

  router.get('/admin/people/new', async (req, res) => {
    const team = queryId(req, 'team');
    await renderNew(res, team ? { teamId: String(team) } : {});
  });

  router.post('/admin/people/new', async (req: Request, res) => {
    const values = formValues(req.body);
    try {
      const person = await organisationAdmin.addPerson(
        { ...personInput(values), externalRef: one(values, 'externalRef') || null },
        actorOf(req),
      );
      req.session.notice = { text: `${person.displayName} has been added.`, success: true };
      res.redirect(303, person.teamId ? `/admin/teams/${person.teamId}` : '/admin/teams');
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'displayName');
      await renderNew(res, values, errors, status);
    }
  });

  async function renderEdit(
    res: Response,
    person: StaffMember,
    values: FormValues,
    errors: FieldErrors = {},
    status = 200,
  ) {
    res.status(status).render('admin/form', {
      title: `Change ${person.displayName}`,
      heading: `Change ${person.displayName}`,
      caption: person.teamName ?? undefined,
      action: `/admin/people/${person.id}`,
      button: 'Save the changes',
      history: {
        href: `/admin/audit-log?recordType=person&recordId=${person.id}`,
        text: `Changes to ${person.displayName}`,
      },
      backLink: person.teamId
        ? { href: `/admin/teams/${person.teamId}`, text: person.teamName ?? 'Their team' }
        : { href: '/admin/teams', text: 'Teams and staff' },
      ...formView(await personFields(organisationAdmin, values, person), errors),
    });
  }

  router.get('/admin/people/:id', async (req, res) => {
    const person = await organisationAdmin.getPerson(idParam(req));
    await renderEdit(res, person, valuesOf(person));
  });

  router.post('/admin/people/:id', async (req, res) => {
    const id = idParam(req);
    const values = formValues(req.body);
    try {
      const person = await organisationAdmin.updatePerson(id, personInput(values), actorOf(req));
      req.session.notice = { text: `${person.displayName} has been saved.`, success: true };
      res.redirect(303, person.teamId ? `/admin/teams/${person.teamId}` : '/admin/teams');
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'displayName');
      await renderEdit(res, await organisationAdmin.getPerson(id), values, errors, status);
    }
  });

  return router;
}
