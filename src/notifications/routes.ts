import { Router, type Response } from 'express';
import { formView } from '../admin/fields';
import type { Field, FieldErrors } from '../http/form-fields';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { formValues, one } from '../http/form-values';
import { idParam } from '../http/params';
import type { Notification } from './repository';
import type { NotificationsService } from './service';

const SETTINGS = '/account/notifications';

/** How the user receives notifications: the settings page's one question. */
const deliveryField = (dailyDigest: boolean): Field => ({
  kind: 'radios',
  name: 'delivery',
  legend: 'Notification settings',
  isPageHeading: true,
  hint: 'Case Audit emails you when something needs you: a remediation record for your team, an action to verify, an overdue record escalated to you. Emails say which team and link to the page; they never contain case details.',
  items: [
    { value: 'each', text: 'An email for each notification', checked: !dailyDigest },
    {
      value: 'digest',
      text: 'One email a day',
      hint: 'At 7am each working day, with everything since the last one. Safeguarding concerns are always sent at once.',
      checked: dailyDigest,
    },
  ],
});

/** Where a notification stands, as a GOV.UK tag. */
function statusOf(n: Notification): { text: string; colour: string } {
  if (n.sentAt && n.transport === 'outbox') return { text: 'Kept in outbox', colour: 'blue' };
  if (n.sentAt) return { text: n.digestId ? 'Sent in digest' : 'Sent', colour: 'green' };
  if (n.lastError) return { text: 'Failing: retrying', colour: 'red' };
  if (!n.immediate && !n.digestId) return { text: 'Waiting for digest', colour: 'grey' };
  return { text: 'Queued', colour: 'yellow' };
}

/**
 * The outbox (admins): every notification written, newest first, and each message as it was sent; in
 * development, with MAIL_TRANSPORT=outbox, the only place mail goes. And each user's notification settings.
 */
export function notificationRoutes(notifications: NotificationsService, transport: string): Router {
  const router = Router();

  router.get('/admin/outbox', requireAccess('admin'), async (_req, res) => {
    const { notifications: list, counts } = await notifications.outbox();
    res.render('admin/outbox/index', {
      title: 'Outbox',
      backLink: { href: '/admin', text: 'Administration' },
      keptOnly: transport === 'outbox',
      counts,
      notifications: list.map((n) => ({ ...n, status: statusOf(n) })),
    });
  });

  router.get('/admin/outbox/:id', requireAccess('admin'), async (req, res) => {
    const n = await notifications.message(idParam(req));
    res.render('admin/outbox/message', {
      title: n.subject,
      backLink: { href: '/admin/outbox', text: 'Outbox' },
      n,
      status: statusOf(n),
    });
  });

  function renderSettings(res: Response, dailyDigest: boolean, errors: FieldErrors = {}) {
    const error = Object.keys(errors).length > 0;
    res.status(error ? 422 : 200).render('notifications/settings', {
      title: `${error ? 'Error: ' : ''}Notification settings`,
      ...formView([deliveryField(dailyDigest)], errors),
    });
  }

  router.get(SETTINGS, async (req, res) => {
    renderSettings(res, await notifications.dailyDigest(currentUser(req)));
  });

  router.post(SETTINGS, async (req, res) => {
    const choice = one(formValues(req.body), 'delivery');
    if (choice !== 'each' && choice !== 'digest') {
      renderSettings(res, await notifications.dailyDigest(currentUser(req)), {
        delivery: 'Choose how you receive notifications',
      });
      return;
    }
    await notifications.setDailyDigest(currentUser(req), choice === 'digest', actorOf(req));
    req.session.notice = {
      text:
        choice === 'digest'
          ? 'You will receive one email each working day at 7am. Safeguarding concerns still come at once.'
          : 'You will receive an email for each notification.',
      success: true,
    };
    res.redirect(303, SETTINGS);
  });

  return router;
}
