import { Router, type Request, type Response } from 'express';
import { caseScopeFor } from '../auth/scope';
import type { AuditOutcomesService, CaseAuditStatus } from '../audit-outcomes/service';
import type { Config } from '../config';
import { ValidationError } from '../errors';
import { toCsv } from '../files/csv/writer';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { pagedTitle } from '../http/page-title';
import { idParam, queryChoice, queryId, queryPage } from '../http/params';
import type { OrganisationService } from '../organisation/service';
import { keepingBytes, mappingRoutes, mappingStepFor } from './mapping-routes';
import type { CaseImport } from './repository';
import type { CasesService } from './service';
import { XLSX_MAX_MB, importOptionsWithMapping, withUploadedList } from './upload';

const PAGE_SIZE = 50;

const AUDIT_STATUS_WORDS: Record<CaseAuditStatus['status'], string> = {
  unallocated: 'Sampled, no auditor yet',
  allocated: 'Allocated',
  in_progress: 'In progress',
  submitted: 'Submitted',
  cancelled: 'Cancelled when its round closed',
};

/** A case's audit as the list shows it: not audited, allocated, in progress, or submitted with its grade. */
function caseAuditView(audit: CaseAuditStatus | undefined) {
  if (!audit) return { text: 'Not audited' };
  return { ...audit, text: AUDIT_STATUS_WORDS[audit.status] };
}

function renderImportForm(res: Response, config: Config, status: number, error?: ValidationError): void {
  const message = error?.fieldErrors[0]?.message ?? error?.message;
  res.status(status).render('cases/import-new', {
    title: 'Import a case list',
    backLink: { href: '/cases/imports', text: 'Case imports' },
    maxMb: config.caseImportMaxMb,
    xlsxMaxMb: Math.min(config.caseImportMaxMb, XLSX_MAX_MB),
    errorList: message ? [{ field: 'file', message }] : undefined,
    errors: message ? { file: message } : undefined,
  });
}

const IMPORT_HEADINGS: Record<CaseImport['status'], string> = {
  running: 'Case list being imported',
  imported: 'Case list imported',
  refused: 'Case list refused',
  failed: 'Case list import failed',
};

/** What an import that has no outcome (yet) means for the admin. */
const UNFINISHED: Partial<Record<CaseImport['status'], string>> = {
  running: 'The import is still running: refresh the page to see how it ended.',
  failed:
    'The import stopped before it finished: the server or its database stopped. Nothing was imported: import the file again.',
};

export function caseRoutes(
  cases: CasesService,
  organisation: OrganisationService,
  config: Config,
  auditOutcomes: AuditOutcomesService,
): Router {
  const router = Router();

  router.get('/cases', requireAccess('cases'), async (req: Request, res: Response) => {
    const user = currentUser(req);
    const imports = await cases.listImported();
    const importId = queryId(req, 'import') ?? imports[0]?.id;
    const teamId = queryId(req, 'team');
    const caseType = queryChoice(req, 'type', Object.keys(CASE_TYPE_LABELS));
    const page = queryPage(req);
    const result =
      importId === undefined
        ? { cases: [], total: 0 }
        : await cases.listCases(
            user,
            { importId, teamId, caseType, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
            actorOf(req),
          );
    const query = (p: number) =>
      new URLSearchParams({
        ...(importId ? { import: String(importId) } : {}),
        ...(teamId ? { team: String(teamId) } : {}),
        ...(caseType ? { type: caseType } : {}),
        page: String(p),
      }).toString();
    const audits = await auditOutcomes.statusOfCases(
      user,
      result.cases.map((c) => c.caseRef),
    );
    res.render('cases/index', {
      title: pagedTitle('Cases', page, Math.max(1, Math.ceil(result.total / PAGE_SIZE))),
      imports,
      teams: await organisation.listTeams(user),
      caseTypes: Object.entries(CASE_TYPE_LABELS).map(([value, label]) => ({ value, label })),
      filter: { importId, teamId, caseType },
      cases: result.cases.map((c) => ({
        ...c,
        caseTypeLabel: CASE_TYPE_LABELS[c.caseType] ?? c.caseType,
        audit: caseAuditView(audits.get(c.caseRef)),
      })),
      total: result.total,
      from: (page - 1) * PAGE_SIZE + 1,
      to: (page - 1) * PAGE_SIZE + result.cases.length,
      scopedToOwn: caseScopeFor(user).kind === 'teams',
      isAdmin: user.roles.includes('admin'),
      previousHref: page > 1 ? `/cases?${query(page - 1)}` : undefined,
      nextHref: page * PAGE_SIZE < result.total ? `/cases?${query(page + 1)}` : undefined,
    });
  });

  router.use('/cases/imports', requireAccess('admin'));

  router.get('/cases/imports', async (_req, res) => {
    res.render('cases/imports', { title: 'Case imports', imports: await cases.listImports() });
  });

  router.get('/cases/imports/new', (_req, res) => {
    renderImportForm(res, config, 200);
  });

  router.post('/cases/imports/new', async (req, res) => {
    try {
      let mappingStep: string | undefined;
      const outcome = await withUploadedList(req, config.caseImportMaxMb, async (given, values) => {
        const { input, bytes } = keepingBytes(given);
        const options = await importOptionsWithMapping(values, input.name, cases.resolveMapping);
        const result = await cases.importCases(input, options, actorOf(req));
        mappingStep = await mappingStepFor(cases, req, input, options, result, bytes());
        return result;
      });
      if (mappingStep) {
        req.session.notice = {
          text: 'Case Audit could not match every column: check the columns below, then import.',
        };
        return res.redirect(mappingStep);
      }
      req.session.notice =
        outcome.status === 'imported'
          ? {
              text: `${outcome.casesImported} cases imported${outcome.rowsRejected ? `; ${outcome.rowsRejected} rows left out` : ''}.${outcome.notes.length ? ` ${outcome.notes.join(' ')}` : ''}`,
              success: true,
            }
          : {
              text: `The case list was refused: ${outcome.problemCount} problem${outcome.problemCount === 1 ? '' : 's'}. Nothing was imported.`,
            };
      res.redirect(`/cases/imports/${outcome.id}`);
    } catch (err) {
      if (err instanceof ValidationError) return renderImportForm(res, config, 422, err);
      throw err;
    }
  });

  mappingRoutes(router, cases);

  router.get('/cases/imports/:id', async (req, res) => {
    const found = await cases.getImport(idParam(req));
    res.render('cases/import', {
      title: `Case import ${found.id}`,
      backLink: { href: '/cases/imports', text: 'Case imports' },
      caseImport: found,
      heading: IMPORT_HEADINGS[found.status],
      imported: found.status === 'imported',
      refused: found.status === 'refused',
      unfinished: UNFINISHED[found.status],
      moreProblems: found.problemCount - found.problems.length,
      sheets: found.sheets.map((s) => ({
        ...s,
        caseTypeLabel: s.caseType ? CASE_TYPE_LABELS[s.caseType] : undefined,
      })),
    });
  });

  router.get('/cases/imports/:id/rejections.csv', async (req, res) => {
    const id = idParam(req);
    const rows = await cases.rejections(id, actorOf(req));
    res
      .type('text/csv; charset=utf-8')
      .attachment(`case-import-${id}-rejected-rows.csv`)
      .send(
        toCsv([
          ['sheet', 'line', 'case_reference', 'reasons'],
          ...rows.map((r) => [r.sheet, r.line, r.case_ref, r.reasons]),
        ]),
      );
  });

  return router;
}
