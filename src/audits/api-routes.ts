import { Router, type Request } from 'express';
import { actorOf } from '../http/actor';
import { currentUser, requireSignIn } from '../http/authorise';
import { idParam } from '../http/params';
import type { AuditDetail, AuditsService } from './service';
import { isPlainObject } from '../validation';
import { withoutCase } from './response';

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return isPlainObject(body) ? body : {};
}

/** An audit as the API returns it: the version to send back with the next change, and the response. */
function auditJson(detail: AuditDetail) {
  const { audit, revision } = detail;
  return {
    id: audit.id,
    status: audit.status,
    version: audit.version,
    revision: audit.revision,
    dueDate: audit.dueDate,
    auditor: audit.auditorUserId === null ? null : { id: audit.auditorUserId, name: audit.auditorName },
    round: audit.roundId === null ? null : { id: audit.roundId, name: audit.roundName },
    calibration: audit.calibrationId === null ? null : { id: audit.calibrationId, name: audit.roundName },
    reaudit: audit.remediationRecordId === null ? null : { remediationId: audit.remediationRecordId },
    framework: { id: audit.frameworkId, version: audit.frameworkVersion, title: audit.frameworkTitle },
    case: { ...audit.profile, team: { id: audit.teamId, name: audit.teamName }, worker: audit.workerName },
    access: detail.access,
    response: withoutCase(detail.response),
    shownRevision: revision ? { revision: revision.revision, status: revision.status } : null,
    revisions: detail.revisions,
    safeguardingConcerns: detail.concerns,
  };
}

/** The grading API: read an audit, save drafts with the version they are based on, submit, reopen. */
export function auditApiRoutes(audits: AuditsService): Router {
  const router = Router();
  router.use('/audits', requireSignIn);

  router.get('/audits/:id', async (req, res) => {
    res.json(auditJson(await audits.get(idParam(req), currentUser(req), actorOf(req))));
  });

  router.put('/audits/:id', async (req, res) => {
    const body = bodyOf(req);
    const saved = await audits.saveDraft(
      idParam(req),
      { version: body.version, response: body.response },
      currentUser(req),
      actorOf(req),
    );
    res.json({ version: saved.version, revision: saved.revision, response: saved.response });
  });

  router.post('/audits/:id/submit', async (req, res) => {
    const body = bodyOf(req);
    res.json(
      await audits.submit(
        idParam(req),
        { version: body.version, response: body.response },
        currentUser(req),
        actorOf(req),
      ),
    );
  });

  router.post('/audits/:id/reopen', async (req, res) => {
    const body = bodyOf(req);
    res.json(
      await audits.reopen(
        idParam(req),
        { version: body.version, reason: body.reason },
        currentUser(req),
        actorOf(req),
      ),
    );
  });

  router.post('/audits/:id/safeguarding-concerns', async (req, res) => {
    const result = await audits.raiseConcern(
      idParam(req),
      bodyOf(req).details,
      currentUser(req),
      actorOf(req),
    );
    res.status(201).json(result);
  });

  return router;
}
