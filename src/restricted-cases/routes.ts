import { Router, type Request, type Response } from 'express';
import { formErrorsOf, formView, type AdminField } from '../admin/fields';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import type { FieldErrors } from '../http/form-fields';
import { formValues, one, type FormValues } from '../http/form-values';
import type { UsersService } from '../users/service';
import type { RestrictedCase } from './repository';
import { MAX_REASON, type RestrictedCasesService } from './service';

const PAGE = '/admin/restricted-cases';
const pageOf = (caseRef: string) => `${PAGE}/${encodeURIComponent(caseRef)}`;

const MESSAGES: Record<string, string> = {
  userId: 'Choose an active user to grant access to',
  reason: 'Enter why they need to see this case',
};

const caseView = (c: RestrictedCase) => ({
  ...c,
  href: pageOf(c.caseRef),
  caseTypeLabel: CASE_TYPE_LABELS[c.caseType] ?? c.caseType,
});

/**
 * The admin pages of restricted cases: every child a case list marked restricted, who may see each, and
 * granting or taking away access with a reason. Admins only; forms work without JavaScript.
 */
export function restrictedCasePages(restrictedCases: RestrictedCasesService, users: UsersService): Router {
  const router = Router();
  router.use(PAGE, requireAccess('admin'));

  router.get(PAGE, async (req, res) => {
    const cases = await restrictedCases.list();
    if (cases.length > 0) await restrictedCases.recordListView(actorOf(req));
    res.render('admin/restricted-cases/index', {
      title: 'Restricted cases',
      backLink: { href: '/admin', text: 'Administration' },
      cases: cases.map(caseView),
    });
  });

  async function grantFields(values: FormValues): Promise<AdminField[]> {
    const candidates = (await users.list()).filter((u) => u.active && !u.roles.includes('admin'));
    return [
      {
        kind: 'select',
        name: 'userId',
        label: 'User',
        hint: 'Administrators see every restricted case already.',
        value: one(values, 'userId'),
        options: [
          { value: '', text: 'Choose a user' },
          ...candidates.map((u) => ({ value: String(u.id), text: `${u.displayName} (${u.email})` })),
        ],
      },
      {
        kind: 'textarea',
        name: 'reason',
        label: 'Why they need to see this case',
        hint: `For example, the adoption team manager. Up to ${MAX_REASON} characters.`,
        value: one(values, 'reason'),
        rows: 3,
      },
    ];
  }

  async function renderCase(
    req: Request,
    res: Response,
    values: FormValues = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const found = await restrictedCases.view(String(req.params.caseRef), actorOf(req));
    res.status(status).render('admin/restricted-cases/case', {
      title: `Restricted case ${found.caseRef}`,
      backLink: { href: PAGE, text: 'Restricted cases' },
      restrictedCase: caseView(found),
      grantAction: `${pageOf(found.caseRef)}/grants`,
      ...formView(await grantFields(values), errors),
    });
  }

  router.get(`${PAGE}/:caseRef`, (req, res) => renderCase(req, res));

  router.post(`${PAGE}/:caseRef/grants`, async (req, res) => {
    const values = formValues(req.body);
    const caseRef = String(req.params.caseRef);
    try {
      const found = await restrictedCases.grant(caseRef, values, actorOf(req));
      req.session.notice = { text: `Access to ${found.caseRef} granted.`, success: true };
      res.redirect(303, pageOf(found.caseRef));
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'userId');
      await renderCase(req, res, values, errors, status);
    }
  });

  router.post(`${PAGE}/:caseRef/grants/:userId/remove`, async (req, res) => {
    const found = await restrictedCases.revoke(
      String(req.params.caseRef),
      String(req.params.userId),
      actorOf(req),
    );
    req.session.notice = { text: `Access to ${found.caseRef} taken away.`, success: true };
    res.redirect(303, pageOf(found.caseRef));
  });

  return router;
}
