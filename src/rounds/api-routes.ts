import { Router } from 'express';
import { ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam } from '../http/params';
import type { RoundsService } from './service';
import { closeInputOf, type RoundClosingService } from './close-service';

/** The plan, without the dryRun switch that says what to do with it. */
function planOf(body: unknown): { plan: unknown; dryRun: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('Send the audit round plan as a JSON object.', [
      { field: '', message: 'must be a JSON object' },
    ]);
  }
  const { dryRun, ...plan } = body as Record<string, unknown>;
  if (dryRun !== undefined && typeof dryRun !== 'boolean') {
    throw new ValidationError('dryRun must be true or false.', [
      { field: 'dryRun', message: 'must be true or false' },
    ]);
  }
  return { plan, dryRun: dryRun === true };
}

export function roundApiRoutes(rounds: RoundsService, closing: RoundClosingService): Router {
  const router = Router();

  router.post('/audit-rounds', requireAccess('rounds'), async (req, res) => {
    const { plan, dryRun } = planOf(req.body);
    if (dryRun) {
      res.json({ dryRun: true, preview: await rounds.preview(plan, actorOf(req)) });
      return;
    }
    const { id, preview } = await rounds.create(plan, actorOf(req));
    res.status(201).location(`/api/audit-rounds/${id}`).json({ id, preview });
  });

  router.get('/audit-rounds', requireAccess('rounds'), async (_req, res) => {
    res.json({ rounds: await rounds.list() });
  });

  router.get('/audit-rounds/:id', requireAccess('rounds'), async (req, res) => {
    res.json(await rounds.get(idParam(req), actorOf(req)));
  });

  router.put('/audit-rounds/:id/moderation', requireAccess('rounds'), async (req, res) => {
    res.json({ moderation: await rounds.setModeration(idParam(req), req.body, actorOf(req)) });
  });

  /**
   * Closes the round: `unsubmitted` says what happens to the audits not yet submitted ("cancel" with a
   * `reason`, or "carry-over" to the open round `toRoundId`). A round closed already is a 409.
   */
  router.post('/audit-rounds/:id/close', requireAccess('rounds'), async (req, res) => {
    res.json(await closing.close(idParam(req), closeInputOf(req.body), actorOf(req)));
  });

  router.post('/audits/:id/reallocate', requireAccess('rounds'), async (req, res) => {
    const id = idParam(req);
    const body = (req.body ?? {}) as { auditorUserId?: unknown; reason?: unknown };
    const auditorUserId = body.auditorUserId;
    if (auditorUserId !== null && !Number.isSafeInteger(auditorUserId)) {
      throw new ValidationError('Give the auditor’s user id, or null to leave the audit unallocated.', [
        { field: 'auditorUserId', message: 'must be a user id or null' },
      ]);
    }
    await rounds.reallocate(
      id,
      auditorUserId as number | null,
      typeof body.reason === 'string' ? body.reason : '',
      actorOf(req),
    );
    const { audit, history } = await rounds.getAudit(id, currentUser(req), actorOf(req));
    res.json({ audit, history });
  });

  return router;
}
