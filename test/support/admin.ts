import request from 'supertest';
import { contextWithAdminToken } from './app';

/**
 * For an administration test file: a context with the demo seeded, requests as the demo admin through the
 * API (bearer token), and the audit events recorded about a record.
 */
export function adminTestContext() {
  const setup = contextWithAdminToken();
  const as = (req: request.Test) => req.set('Authorization', `Bearer ${setup.adminToken}`);
  return {
    get ctx() {
      return setup.ctx;
    },
    api: {
      get: (path: string) => as(request(setup.ctx.app).get(path)),
      post: (path: string, body: object = {}) => as(request(setup.ctx.app).post(path)).send(body),
      patch: (path: string, body: object) => as(request(setup.ctx.app).patch(path)).send(body),
    },
    /** The audit events of this action about this record, oldest first. */
    events: (action: string, recordId: number) =>
      setup.ctx.db
        .knex('audit_event')
        .where({ action, record_id: String(recordId) })
        .orderBy('id'),
  };
}
