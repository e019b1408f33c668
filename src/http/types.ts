import type { RoundDraft } from '../rounds/journey/draft';
import type { SamlSession } from '../saml/service';
import type { User as AppUser } from '../users/user';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- passport puts our User on req.user
    interface User extends AppUser {}

    interface Request {
      /** How the user was authenticated: a browser session, or an API bearer token. */
      authMethod?: 'session' | 'token';
      apiTokenId?: number;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    /** Epoch ms of sign-in, for the absolute session timeout. */
    signedInAt?: number;
    /** A one-off message for the next page (for example after signing out), shown in a banner. */
    notice?: { text: string; success?: boolean };
    /** An audit round being planned, page by page. */
    roundDraft?: RoundDraft;
    /** The single sign-on this session came from, to end the identity provider's session at sign-out. */
    saml?: SamlSession;
  }
}

export {};
