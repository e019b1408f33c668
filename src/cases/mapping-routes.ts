import { Readable, Transform } from 'node:stream';
import type { Request, Response, Router } from 'express';
import { ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser } from '../http/authorise';
import { formValues, one } from '../http/form-values';
import type { ImportInput, ImportOutcome, MappingNeed } from './import-service';
import { mappingFromForm, mappingView } from './mapping-page';
import type { PendingUpload } from './mapping-repository';
import type { CasesService } from './service';
import type { ImportOptions } from './types';

/** The upload's bytes as they pass to the import, kept in case it needs the mapping step. */
export function keepingBytes(input: ImportInput): { input: ImportInput; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback(null, chunk);
    },
  });
  input.stream.on('error', (err) => tee.destroy(err));
  return { input: { ...input, stream: input.stream.pipe(tee) }, bytes: () => Buffer.concat(chunks) };
}

/** A refused upload that a mapping could make readable is kept, and its mapping step's address given. */
export async function mappingStepFor(
  cases: CasesService,
  req: Request,
  input: ImportInput,
  options: ImportOptions,
  outcome: ImportOutcome,
  bytes: Buffer,
): Promise<string | undefined> {
  if (outcome.status !== 'refused' || !outcome.mappingNeeded?.length) return undefined;
  const { sourceName, mode, unknownTeams, format } = options;
  const id = await cases.pending.keep({
    userId: currentUser(req).id,
    fileName: input.name,
    kind: input.kind,
    options: { sourceName, mode, unknownTeams, ...(format ? { format } : {}) },
    needs: outcome.mappingNeeded,
    content: bytes,
  });
  return `/cases/imports/mapping/${id}`;
}

function render(
  res: Response,
  pending: PendingUpload,
  status: number,
  body?: FormValues,
  error?: ValidationError,
) {
  const need = (pending.needs as MappingNeed[])[0] as MappingNeed;
  let mapping = need.suggestion;
  if (body) {
    try {
      mapping = mappingFromForm(need, body);
    } catch {
      // Shown as chosen so far: the errors are in the summary.
      mapping = { ...need.suggestion, ...partialFromForm(need, body) };
    }
  }
  const view = mappingView(need, { ...mapping, name: body ? one(body, 'name') : mapping.name });
  res.status(status).render('cases/import-mapping', {
    title: 'Match the columns',
    backLink: { href: '/cases/imports/new', text: 'Import a case list' },
    pendingId: pending.id,
    fileName: pending.fileName,
    sheet: need.sheet,
    missing: need.missing,
    ...view,
    errorList: error?.fieldErrors.length
      ? error.fieldErrors
      : error
        ? [{ field: 'target', message: error.message }]
        : undefined,
  });
}

type FormValues = ReturnType<typeof formValues>;

/** The columns and list as chosen on the form, to show them again beside its errors. */
function partialFromForm(need: MappingNeed, body: FormValues) {
  const target = one(body, 'target');
  const list = /^list-(\d)$/.exec(target)?.[1];
  const columns: Record<string, string | null> = {};
  need.headers.forEach((h, i) => {
    if (h.trim()) columns[h] = one(body, `column-${i}`) || null;
  });
  return {
    format: list ? ('annex-a' as const) : ('native' as const),
    ...(list ? { list: Number(list) } : {}),
    columns,
  };
}

/** The mapping step: GET shows the headers, samples and guesses; POST previews or imports. */
export function mappingRoutes(router: Router, cases: CasesService): void {
  router.get('/cases/imports/mapping/:pendingId', async (req, res) => {
    const pending = await cases.pending.get(String(req.params.pendingId), currentUser(req).id);
    render(res, pending, 200);
  });

  router.post('/cases/imports/mapping/:pendingId', async (req, res) => {
    const pending = await cases.pending.get(String(req.params.pendingId), currentUser(req).id);
    const body = formValues(req.body);
    const need = (pending.needs as MappingNeed[])[0] as MappingNeed;
    let mapping;
    try {
      mapping = mappingFromForm(need, body);
    } catch (err) {
      if (err instanceof ValidationError) return render(res, pending, 422, body, err);
      throw err;
    }
    if (one(body, 'action') !== 'import') return render(res, pending, 200, body);
    let outcome: ImportOutcome;
    try {
      outcome = await cases.importCases(
        { stream: Readable.from([pending.content]), kind: pending.kind, name: pending.fileName },
        { ...(pending.options as unknown as ImportOptions), mappings: [mapping] },
        actorOf(req),
      );
    } catch (err) {
      if (err instanceof ValidationError) return render(res, pending, 422, body, err);
      throw err;
    }
    if (outcome.status === 'refused' && outcome.mappingNeeded?.length) {
      await cases.pending.updateNeeds(pending.id, outcome.mappingNeeded);
      const again = { ...pending, needs: outcome.mappingNeeded };
      return render(
        res,
        again,
        422,
        body,
        new ValidationError(
          `The list still cannot be read: ${outcome.problemCount} problem${outcome.problemCount === 1 ? '' : 's'}. Nothing was imported.`,
          [
            {
              field: 'target',
              message: `The list still cannot be read with this mapping: ${outcome.problems[0]?.reason ?? 'see the values below'}`,
            },
          ],
        ),
      );
    }
    await cases.pending.remove(pending.id);
    req.session.notice =
      outcome.status === 'imported'
        ? { text: `${outcome.casesImported} cases imported. ${outcome.notes.join(' ')}`, success: true }
        : { text: `The case list was refused: ${outcome.problemCount} problems. Nothing was imported.` };
    res.redirect(`/cases/imports/${outcome.id}`);
  });
}
