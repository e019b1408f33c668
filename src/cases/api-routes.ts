import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { CASE_TYPE_LABELS } from '../frameworks/preview';
import { MAX_ID, idParam, queryChoice, queryId, queryInt } from '../http/params';
import type { ImportOutcome } from './import-service';
import type { CasesService } from './service';
import { importOptions, withUploadedList } from './upload';

/** Refused imports answer 422 with the problems as extension members of the problem details. */
function sendOutcome(req: Request, res: Response, outcome: ImportOutcome): void {
  res.location(`/api/case-imports/${outcome.id}`);
  if (outcome.status === 'imported') {
    res.status(201).json(outcome);
    return;
  }
  const { status: importStatus, ...details } = outcome;
  res
    .status(422)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: 'The case list was refused',
        status: 422,
        detail: `${outcome.problemCount} problem${outcome.problemCount === 1 ? '' : 's'}: nothing was imported. The first ${outcome.problems.length} are listed.`,
        instance: req.originalUrl.split('?')[0],
        importStatus,
        ...details,
      }),
    );
}

export function caseApiRoutes(cases: CasesService, config: Config): Router {
  const router = Router();

  router.post('/case-imports', requireAccess('admin'), async (req, res) => {
    const outcome = await withUploadedList(req, config.caseImportMaxMb, (input, values) =>
      cases.importCases(input, importOptions(values, input.name), actorOf(req)),
    );
    sendOutcome(req, res, outcome);
  });

  router.get('/case-imports', requireAccess('admin'), async (_req, res) => {
    res.json({ imports: await cases.listImports() });
  });

  router.get('/case-imports/:id', requireAccess('admin'), async (req, res) => {
    res.json(await cases.getImport(idParam(req)));
  });

  router.get('/cases', requireAccess('cases'), async (req, res) => {
    const result = await cases.listCases(
      currentUser(req),
      {
        importId: queryId(req, 'import') ?? (await cases.latestImportId()),
        teamId: queryId(req, 'team'),
        caseType: queryChoice(req, 'type', Object.keys(CASE_TYPE_LABELS)),
        limit: queryInt(req, 'limit', 1, 1000) ?? 100,
        offset: queryInt(req, 'offset', 0, MAX_ID) ?? 0,
      },
      actorOf(req),
    );
    res.json(result);
  });

  return router;
}
