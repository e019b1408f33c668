/** Who is acting, recorded on every audit event. */
export interface Actor {
  kind: 'user' | 'token' | 'system';
  userId: number | null;
  tokenId: number | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', userId: null, tokenId: null, requestId: null };
