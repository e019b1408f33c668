import { Router, type Response } from 'express';
import { gradeChoices } from '../audits/form';
import { profileRows, responseSummary } from '../audits/views';
import { ValidationError, type FieldError } from '../errors';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { gradeLabel } from '../frameworks/labels';
import type { Framework } from '../frameworks/types';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { errorListFor, fieldView, type Field, type FieldErrors } from '../http/form-fields';
import { formValues, one, type FormValues } from '../http/form-values';
import { idParam, queryId } from '../http/params';
import { finalAction } from '../idempotency';
import type { AgreementStats } from './agreement';
import { REASON_WORDS } from './policy';
import { gradedItems, StageDoneError, type GradedItem, type ModerationService } from './service';

type Moderation = Awaited<ReturnType<ModerationService['get']>>;

/** A graded item's grades, each with its descriptor for that section (or overall), as the auditor saw them. */
function gradeItems(framework: Framework, item: GradedItem, current: string | undefined) {
  const descriptors =
    item.id === 'overall'
      ? framework.overall.descriptors
      : framework.sections.find((s) => s.id === item.id)?.descriptors;
  return gradeChoices(framework, item.scaleId, current, descriptors);
}

const labelOf = (framework: Framework, scaleId: string, code: string | null | undefined) =>
  code ? gradeLabel(framework, scaleId, code) : '';

/** The service's field names (grades.x, agreed.x.reason) as this page's form names. */
function formErrors(errors: readonly FieldError[]): FieldErrors {
  const result: FieldErrors = {};
  for (const e of errors) {
    const [stage, id, part] = e.field.split('.');
    const name =
      stage === 'grades'
        ? `${part === 'notes' ? 'notes' : 'grade'}-${id}`
        : part === 'reason'
          ? `reason-${id}`
          : `agreed-${id}`;
    result[id ? name : 'grades'] = e.message;
  }
  return result;
}

/** The form a moderator fills in: their own grades first (blind), then the agreed grades with reasons. */
function moderationFields(detail: Moderation, values: FormValues | undefined): Field[] {
  const { framework } = detail.framework;
  const items = gradedItems(framework, detail.response ?? undefined);
  if (!detail.revealed) {
    return items.map((item) => ({
      kind: 'fieldset',
      name: `item-${item.id}`,
      legend: item.title,
      legendSize: 'm',
      fields: [
        {
          kind: 'radios',
          name: `grade-${item.id}`,
          legend: `Your grade for ${item.id === 'overall' ? 'the audit overall' : item.title.toLowerCase()}`,
          legendSize: 's',
          hint: 'The descriptor under each grade says what it looks like here.',
          items: gradeItems(framework, item, values && one(values, `grade-${item.id}`)),
        },
        {
          kind: 'textarea',
          name: `notes-${item.id}`,
          label: 'Your notes',
          labelSize: 's',
          hint: 'Optional. What you found in the case file: you will see these again when you agree the outcome.',
          rows: 3,
          value: values ? one(values, `notes-${item.id}`) : '',
        },
      ],
    }));
  }
  const auditor = (id: string) =>
    id === 'overall' ? detail.response?.overall?.grade : detail.response?.sections?.[id]?.grade;
  const own = new Map(detail.grades.map((g) => [g.sectionId, g]));
  return items.map((item) => ({
    kind: 'fieldset',
    name: `item-${item.id}`,
    legend: item.title,
    legendSize: 's',
    hint: [
      `Auditor: ${labelOf(framework, item.scaleId, auditor(item.id))}.`,
      own.get(item.id)?.moderatorGrade &&
        `Your own grade: ${labelOf(framework, item.scaleId, own.get(item.id)?.moderatorGrade)}.`,
      own.get(item.id)?.moderatorNotes && `Your notes: ${own.get(item.id)?.moderatorNotes}`,
    ]
      .filter(Boolean)
      .join(' '),
    fields: [
      {
        kind: 'radios',
        name: `agreed-${item.id}`,
        legend: `Agreed grade for ${item.title.toLowerCase()}`,
        legendSize: 's',
        small: true,
        items: gradeItems(
          framework,
          item,
          values ? one(values, `agreed-${item.id}`) : (auditor(item.id) ?? undefined),
        ),
      },
      {
        kind: 'textarea',
        name: `reason-${item.id}`,
        label: 'Reason (required if you change the grade)',
        rows: 2,
        value: values ? one(values, `reason-${item.id}`) : '',
      },
    ],
  }));
}

function statsRows(groups: { key: string; stats: AgreementStats }[]) {
  return groups.map(({ key, stats }) => ({ key, ...statsView(stats) }));
}

const percent = (value: number | null) => (value === null ? '–' : `${value.toFixed(0)}%`);

function statsView(stats: AgreementStats) {
  return {
    pairs: stats.pairs,
    agreement: percent(stats.percentAgreement),
    kappa: stats.kappa === null ? '–' : stats.kappa.toFixed(2),
    upgrade: percent(stats.upgradeRate),
    downgrade: percent(stats.downgradeRate),
  };
}

/** Moderators' pages: the queue, a moderation (blind, then outcome), and the agreement statistics. */
export function moderationRoutes(moderation: ModerationService): Router {
  const router = Router();

  router.get('/moderation', requireAccess('moderation'), async (req, res) => {
    const queue = await moderation.queue(currentUser(req));
    res.render('moderation/queue', {
      title: 'Moderation',
      queue: queue.map((item) => ({
        ...item,
        reasonText: REASON_WORDS[item.reason],
        caseTypeLabel: CASE_TYPE_LABELS[item.caseType] ?? item.caseType,
        statusText: item.status === 'graded' ? 'Your grades recorded' : 'Waiting',
      })),
    });
  });

  function render(res: Response, detail: Moderation, values?: FormValues, errors: FieldErrors = {}) {
    const fields = moderationFields(detail, values);
    const { framework } = detail.framework;
    res.status(Object.keys(errors).length > 0 ? 422 : 200).render('moderation/moderate', {
      title: `Moderate the audit of case ${detail.audit.profile.caseRef}`,
      backLink: { href: '/moderation', text: 'Moderation' },
      audit: detail.audit,
      moderation: detail.moderation,
      reasonText: REASON_WORDS[detail.moderation.reason],
      profile: profileRows(detail.audit),
      revealed: detail.revealed,
      summary: detail.response ? responseSummary(framework, detail.response) : undefined,
      fields: fields.map((f) => fieldView(f, errors)),
      errorList: [
        ...errorListFor(fields, errors),
        ...(errors.grades ? [{ field: 'grades', href: '#moderation-form', message: errors.grades }] : []),
      ],
      summaryText: values ? one(values, 'summary') : '',
    });
  }

  router.get('/moderation/audits/:id', requireAccess('moderation'), async (req, res) => {
    render(res, await moderation.get(idParam(req), currentUser(req), actorOf(req)));
  });

  router.post('/moderation/audits/:id', requireAccess('moderation'), finalAction, async (req, res) => {
    const id = idParam(req);
    const detail = await moderation.load(id, currentUser(req));
    const values = formValues(req.body);
    const items = gradedItems(detail.framework.framework, detail.response ?? undefined);
    // The stage the form was for (a page opened before the moderator's grades were recorded asks for them).
    const stage = one(values, 'stage') || (detail.revealed ? 'outcome' : 'grades');
    const body =
      stage === 'outcome'
        ? {
            agreed: Object.fromEntries(
              items.map((i) => [
                i.id,
                { grade: one(values, `agreed-${i.id}`), reason: one(values, `reason-${i.id}`) },
              ]),
            ),
            summary: one(values, 'summary'),
          }
        : {
            grades: Object.fromEntries(
              items.map((i) => [
                i.id,
                { grade: one(values, `grade-${i.id}`), notes: one(values, `notes-${i.id}`) },
              ]),
            ),
          };
    try {
      const result = await moderation.record(id, body, currentUser(req), actorOf(req));
      if (result.status === 'graded') return res.redirect(`/moderation/audits/${id}`);
      const changed = result.grades.filter((g) => g.outcome !== 'upheld').length;
      req.session.notice = {
        text: `Moderation recorded: ${changed === 0 ? 'every grade upheld' : `${changed} ${changed === 1 ? 'grade' : 'grades'} changed`}. The agreed grades are now the reported grades.`,
        success: true,
      };
      res.redirect('/moderation');
    } catch (err) {
      // The form of a page opened before this stage was recorded (the same form sent twice is answered
      // as the first was, by its key): the moderator is taken to where the moderation now is.
      if (err instanceof StageDoneError) {
        req.session.notice = {
          text:
            err.stage === 'completed'
              ? 'This moderation was already completed, so nothing was changed.'
              : 'Your own grades were already recorded, so nothing was changed: agree the outcome now.',
        };
        return res.redirect(303, err.stage === 'completed' ? '/moderation' : `/moderation/audits/${id}`);
      }
      if (!(err instanceof ValidationError)) throw err;
      render(
        res,
        detail,
        values,
        err.fieldErrors.length > 0 ? formErrors(err.fieldErrors) : { grades: err.message },
      );
    }
  });

  router.get('/agreement', requireAccess('agreement'), async (req, res) => {
    const stats = await moderation.statistics({ roundId: queryId(req, 'round') });
    res.render('moderation/agreement', {
      title: 'Agreement between auditors and moderators',
      comparedCount: stats.overall.pairs + stats.sections.pairs,
      summaryRows: [
        { key: 'Overall grades', ...statsView(stats.overall) },
        { key: 'Section grades', ...statsView(stats.sections) },
      ],
      bySection: statsRows(stats.bySection),
      byAuditor: statsRows(stats.byAuditor),
      byRound: statsRows(stats.byRound),
    });
  });

  return router;
}
