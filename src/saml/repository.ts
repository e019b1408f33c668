import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

/** Single sign-on's one-time records: sign-in requests awaiting their answer, and assertions accepted. */
export const samlRepository = {
  /** Records a request sent, clearing those that expired. */
  async saveRequest(ex: Executor, id: string, createdAt: Date, expiresAt: Date): Promise<void> {
    const k = knexOf(ex);
    await k('saml_request').where('expires_at', '<', k.fn.now()).delete();
    await k('saml_request')
      .insert({ id, created_at: createdAt, expires_at: expiresAt })
      .onConflict('id')
      .ignore();
  },

  /** When a request still awaiting its answer was sent; nothing once it expired or was answered. */
  async requestSentAt(ex: Executor, id: string): Promise<Date | undefined> {
    const k = knexOf(ex);
    const row = await k('saml_request')
      .where('id', id)
      .where('expires_at', '>', k.fn.now())
      .first<{ created_at: Date } | undefined>('created_at');
    return row?.created_at;
  },

  /** Uses a request up: true for the one caller that did, false for any other (or if it was not awaited). */
  async useRequest(ex: Executor, id: string): Promise<boolean> {
    const k = knexOf(ex);
    const used = await k('saml_request').where('id', id).where('expires_at', '>', k.fn.now()).delete('id');
    return used.length === 1;
  },

  /** Remembers an assertion accepted: false when it was already (a replay). */
  async acceptAssertion(ex: Executor, id: string, expiresAt: Date): Promise<boolean> {
    const k = knexOf(ex);
    await k('saml_assertion').where('expires_at', '<', k.fn.now()).delete();
    const added = await k('saml_assertion')
      .insert({ id, expires_at: expiresAt })
      .onConflict('id')
      .ignore()
      .returning('id');
    return added.length === 1;
  },
};
