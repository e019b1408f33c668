import type { Actor } from '../activity-log/actor';
import type { AuditAction } from '../activity-log/actions';
import type { ActivityLog } from '../activity-log/service';
import { londonDate, longDate } from '../dates';
import { MAX_ID } from '../http/params';
import { isIsoDate } from '../working-days/arithmetic';
import type { Database, Executor } from '../db/transaction';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StaleVersionError,
  ValidationError,
  type FieldError,
} from '../errors';
import type { User } from '../users/user';
import { isPlainObject } from '../validation';
import { organisationReadModel } from '../organisation/read-model';
import { mayVerify, owns, ownsAction } from './access';
import {
  remediationRepository as repo,
  type ActionKind,
  type ActionStatus,
  type RemediationRecord,
} from './repository';
import { allowedMoves, STATUS_WORDS, type Mover } from './transitions';
import { verifyNotice, type Notify } from './notices';

const TEXT_MAX = 5000;

/** A move an action cannot make from where it is: 409, with the moves it can. */
export class MoveRefusedError extends AppError {
  constructor(detail: string, allowed: readonly ActionStatus[]) {
    super(409, 'Conflict', detail, [{ field: 'status', message: detail }], { allowed });
  }
}

type Visible = (ex: Executor, id: number, user: User, lock?: boolean) => Promise<RemediationRecord>;

/** Reads the fields of a request body, collecting a plain message for each that is missing or wrong. */
function reader(body: unknown) {
  const values = isPlainObject(body) ? body : {};
  const errors: FieldError[] = [];
  return {
    errors,
    text(field: string, message: string, optional = false): string | null {
      const value = values[field];
      const text = typeof value === 'string' ? value.trim() : '';
      if (text.length > TEXT_MAX)
        errors.push({ field, message: `Keep it to ${TEXT_MAX} characters or fewer` });
      else if (!text && !optional) errors.push({ field, message });
      return text || null;
    },
    version(): number {
      const value = values.version;
      if (Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_ID)
        return value as number;
      errors.push({ field: 'version', message: 'Send the version of the record you read' });
      return 0;
    },
    value: (field: string) => values[field],
  };
}

function refuseIfAny(errors: FieldError[], what: string): void {
  if (errors.length > 0) throw new ValidationError(`The ${what} is not complete.`, errors);
}

/** What else closing a record does, in the transaction that closes it (schedule its re-audit). */
type AfterClose = (tx: Executor, record: RemediationRecord, actor: Actor) => Promise<unknown>;

/** The management response and the actions of a record: set by its owners, verified by its auditor. */
export function createActionsService(
  db: Database,
  activityLog: ActivityLog,
  visible: Visible,
  notify: Notify,
  afterClose?: AfterClose,
) {
  async function closeIfDone(tx: Executor, recordId: number, actor: Actor): Promise<boolean> {
    const record = (await repo.find(tx, recordId, true)) as RemediationRecord;
    const actions = await repo.actions(tx, recordId);
    const done =
      record.status === 'open' &&
      actions.length > 0 &&
      actions.every((a) => a.status === 'verified') &&
      (!record.responseRequired || record.response !== null);
    if (!done) return false;
    await repo.update(tx, recordId, record.version, { status: 'closed', closed: true });
    await activityLog.record(tx, actor, {
      action: 'remediation.close',
      recordType: 'remediation',
      recordId,
      summary: { after: { actions: actions.length } },
    });
    await afterClose?.(tx, record, actor);
    return true;
  }

  return {
    /** The team manager's management response: given once, on the version of the record they read. */
    async respond(id: number, body: unknown, user: User, actor: Actor) {
      const read = reader(body);
      const version = read.version();
      const response = read.text('response', 'Enter the management response');
      return db.transaction(async (tx) => {
        const record = await visible(tx, id, user, true);
        if (!owns(user, record)) throw new ForbiddenError('Only a manager of the case’s team can respond.');
        refuseIfAny(read.errors, 'response');
        if (record.status !== 'open') throw new ConflictError('This record is no longer open.');
        if (record.response !== null)
          throw new ConflictError('The management response has already been given.');
        const next = await repo.update(tx, id, version, {
          response: response as string,
          respondedByUserId: user.id,
        });
        if (next === undefined)
          throw new StaleVersionError('Someone changed this record since you opened it.', {
            version: record.version,
          });
        await activityLog.record(tx, actor, {
          action: 'remediation.respond',
          recordType: 'remediation',
          recordId: id,
          summary: { after: { version: next } },
        });
        return { version: next };
      });
    },

    /**
     * Sets an action for the child: what will be done, the difference it should make for them, its kind,
     * an owner in the organisation and a due date (by default the framework's timescale; later needs a
     * reason; never before today).
     */
    async add(id: number, body: unknown, user: User, actor: Actor) {
      const read = reader(body);
      const description = read.text('description', 'Enter what will be done');
      const intendedDifference = read.text(
        'intendedDifference',
        'Enter the difference this action should make for the child',
      );
      const kind = read.value('kind');
      if (kind !== 'practice' && kind !== 'compliance')
        read.errors.push({
          field: 'kind',
          message: 'Choose whether the action changes practice or puts the record right',
        });
      const owner = read.value('ownerPersonId');
      if (!Number.isSafeInteger(owner) || (owner as number) < 1 || (owner as number) > MAX_ID)
        read.errors.push({ field: 'ownerPersonId', message: 'Choose who owns the action' });
      const due = read.value('dueDate');
      if (due !== undefined && due !== null && due !== '' && !isIsoDate(due))
        read.errors.push({ field: 'dueDate', message: 'Enter the due date as a real date' });
      const dueReason = read.text('dueReason', '', true);
      const evidence = read.text('evidence', '', true);
      return db.transaction(async (tx) => {
        const record = await visible(tx, id, user, true);
        if (!owns(user, record))
          throw new ForbiddenError('Only a manager of the case’s team can set actions.');
        if (record.status !== 'open') throw new ConflictError('This record is no longer open.');
        const dueDate = typeof due === 'string' && due !== '' ? due : record.completionDue;
        if (isIsoDate(due)) {
          if (due < londonDate())
            read.errors.push({ field: 'dueDate', message: 'The due date must be today or later' });
          else if (due > record.completionDue && !dueReason)
            read.errors.push({
              field: 'dueReason',
              message: `Say why the action is due after ${longDate(record.completionDue)}, the framework’s timescale`,
            });
        }
        if (
          !read.errors.some((e) => e.field === 'ownerPersonId') &&
          !(await organisationReadModel.findStaffMember(tx, owner as number))?.active
        )
          read.errors.push({
            field: 'ownerPersonId',
            message: 'Choose a current member of staff to own the action',
          });
        refuseIfAny(read.errors, 'action');
        const actionId = await repo.insertAction(tx, {
          recordId: id,
          description: description as string,
          intendedDifference: intendedDifference as string,
          kind: kind as ActionKind,
          ownerPersonId: owner as number,
          dueDate,
          dueReason,
          evidence,
          createdByUserId: user.id,
        });
        await activityLog.record(tx, actor, {
          action: 'remediation_action.create',
          recordType: 'remediation_action',
          recordId: actionId,
          summary: { after: { recordId: id, kind, ownerPersonId: owner, dueDate } },
        });
        return { actionId };
      });
    },

    /** Moves an action along (or back), if the user may make that move and nobody has moved it since. */
    async move(actionId: number, body: unknown, user: User, actor: Actor) {
      const read = reader(body);
      const version = read.version();
      const to = read.value('status') as ActionStatus;
      if (!Object.hasOwn(STATUS_WORDS, to ?? ''))
        read.errors.push({ field: 'status', message: 'Choose what the action moves to' });
      const reason = read.text('reason', '', true);
      const note = read.text('note', '', true);
      const evidence = read.text('evidence', '', true);
      return db.transaction(async (tx) => {
        const found = await repo.findAction(tx, actionId, true);
        if (!found) throw new NotFoundError(`There is no action ${actionId}.`);
        const record = await visible(tx, found.recordId, user, true).catch(() => {
          throw new NotFoundError(`There is no action ${actionId}.`);
        });
        const movers: Mover[] = [];
        if (record.status === 'open' && (owns(user, record) || ownsAction(user, found))) movers.push('owner');
        if (record.status === 'open' && mayVerify(user, record)) movers.push('verifier');
        if (movers.length === 0) throw new ForbiddenError('You cannot change this action.');
        refuseIfAny(read.errors, 'change');
        const allowed = allowedMoves(found.status, movers);
        const move = allowed.find((m) => m.to === to);
        if (!move)
          throw new MoveRefusedError(
            `An action that is ${STATUS_WORDS[found.status].toLowerCase()} cannot move to ${STATUS_WORDS[to].toLowerCase()}${allowed.length ? `: it can move to ${allowed.map((m) => STATUS_WORDS[m.to].toLowerCase()).join(' or ')}` : ''}.`,
            allowed.map((m) => m.to),
          );
        if (move.needs === 'reason' && !reason)
          throw new ValidationError('Say why the action goes back to open.', [
            { field: 'reason', message: 'Say why the action goes back to open' },
          ]);
        if (move.needs === 'note' && !note)
          throw new ValidationError('Say what you checked.', [
            { field: 'note', message: 'Say what you checked to verify the action' },
          ]);
        const next = await repo.updateAction(tx, actionId, version, {
          status: to,
          ...(evidence !== null ? { evidence } : {}),
          ...(to === 'verified' ? { verificationNote: note as string, verifiedByUserId: user.id } : {}),
        });
        if (next === undefined)
          throw new StaleVersionError('Someone changed this action since you opened it.', {
            version: found.version,
            status: found.status,
          });
        await activityLog.record(tx, actor, {
          ...MOVE_EVENTS[to],
          recordType: 'remediation_action',
          recordId: actionId,
          summary: {
            before: { status: found.status },
            after: { status: to, version: next, ...(reason ? { reason } : {}), ...(note ? { note } : {}) },
          },
        });
        if (to === 'completed') await notify(tx, verifyNotice(record));
        const closed = to === 'verified' && (await closeIfDone(tx, record.id, actor));
        return { version: next, status: to, recordClosed: closed };
      });
    },
  };
}

/** The activity-log action of each move, by where the action moves to. */
const MOVE_EVENTS: Record<ActionStatus, { action: AuditAction }> = {
  open: { action: 'remediation_action.reopen' },
  in_progress: { action: 'remediation_action.start' },
  completed: { action: 'remediation_action.complete' },
  verified: { action: 'remediation_action.verify' },
};
