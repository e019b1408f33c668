import { Router, type Response } from 'express';
import type { Config } from '../config';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { MAX_ID, idParam, queryChoice, queryId, queryInt } from '../http/params';
import { ImportRefusedError } from './import-refused';
import type { ImportOutcome } from './import-service';
import type { CasesService } from './service';
import { importOptionsWithMapping, withUploadedList } from './upload';

/** A refused import answers 422 (ImportRefusedError); either way the Location names the import's record. */
function sendOutcome(res: Response, outcome: ImportOutcome): void {
  res.location(`/api/case-imports/${outcome.id}`);
  if (outcome.status !== 'imported') throw new ImportRefusedError(outcome);
  res.status(201).json(outcome);
}

export function caseApiRoutes(cases: CasesService, config: Config): Router {
  const router = Router();

  router.post('/case-imports', requireAccess('admin'), async (req, res) => {
    const outcome = await withUploadedList(req, config.caseImportMaxMb, async (input, values) =>
      cases.importCases(
        input,
        await importOptionsWithMapping(values, input.name, cases.resolveMapping),
        actorOf(req),
      ),
    );
    sendOutcome(res, outcome);
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
