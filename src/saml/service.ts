import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/passport-saml';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { endSingleSignOnSessions } from '../auth/sessions';
import type { Database } from '../db/transaction';
import type { UsersService } from '../users/service';
import type { SignInRefusal } from '../users/single-sign-on';
import type { User } from '../users/user';
import { checkAssertion, checkResponse, SamlRefusal, type AssertionFacts, type Expected } from './checks';
import {
  checkLogoutRequest,
  type CheckedLogout,
  type LogoutExpected,
  type LogoutMessage,
} from './logout-checks';
import { identityOf, type NoAccess } from './mapping';
import { samlRepository } from './repository';
import type { SamlSettings } from './settings';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

/** How long a sign-in request waits for its answer (and how old a sign-out request may be). */
const REQUEST_TTL_MS = 10 * 60_000;

/** What the session keeps of a single sign-on, to end the identity provider's session at sign-out. */
export interface SamlSession {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

export type SignInOutcome =
  { user: User; session: SamlSession } | { refused: string; noAccess?: NoAccess | SignInRefusal };

/**
 * node-saml's metadata offers the sign-out address by HTTP-POST only; it takes HTTP-Redirect too (what
 * Entra and ADFS use by default), offered first.
 */
function withRedirectSignOut(metadata: string): string {
  const doc = new DOMParser().parseFromString(metadata, 'text/xml');
  const post = doc.getElementsByTagNameNS(MD, 'SingleLogoutService')[0];
  if (!post) return metadata;
  const redirect = post.cloneNode(false) as Element;
  redirect.setAttribute('Binding', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect');
  post.parentNode?.insertBefore(redirect, post);
  return new XMLSerializer().serializeToString(doc);
}

/** The identity provider's sign-out request answered (the sessions it named ended), or refused. */
export type IdpLogoutOutcome = { answer: string; endedSessions: string[] } | { refused: string };

/** The identity provider's answer to a sign-out request this service sent, as it came. */
export type LogoutAnswer =
  { query: Record<string, unknown>; originalQuery: string } | { form: Record<string, unknown> };

export type SamlService = ReturnType<typeof createSamlService>;

/**
 * The service provider: sign-in requests, the checks on every response (node-saml's, then the service's
 * own, see checks.ts), the one-time records shared by every app server, and the user the claims make.
 */
export function createSamlService(
  db: Database,
  settings: SamlSettings,
  users: UsersService,
  activityLog: ActivityLog,
) {
  const expected: Expected = {
    idpEntityId: settings.idp.entityId,
    callbackUrl: settings.sp.callbackUrl,
    encryptedAssertions: settings.sp.requireEncryptedAssertions,
  };
  const logoutExpected: LogoutExpected = {
    idpEntityId: settings.idp.entityId,
    logoutCallbackUrl: settings.sp.logoutCallbackUrl,
    clockSkewMs: settings.clockSkewMs,
    maxAgeMs: REQUEST_TTL_MS,
  };
  // node-saml records each request it sends and looks it up when the answer comes (twice: for the
  // response and its subject confirmation). It never uses it up: the service does, atomically, once the
  // response is verified (samlRepository.useRequest), so one response signs in once at most.
  const requests: CacheProvider = {
    async saveAsync(key, value) {
      const sent = new Date(value);
      await samlRepository.saveRequest(db.executor, key, sent, new Date(sent.getTime() + REQUEST_TTL_MS));
      return { value, createdAt: sent.getTime() };
    },
    async getAsync(key) {
      return (await samlRepository.requestSentAt(db.executor, key))?.toISOString() ?? null;
    },
    removeAsync: () => Promise.resolve(null),
  };
  const saml = new SAML({
    entryPoint: settings.idp.ssoUrl,
    idpCert: settings.idp.certs,
    idpIssuer: settings.idp.entityId,
    issuer: settings.sp.entityId,
    audience: settings.sp.entityId,
    callbackUrl: settings.sp.callbackUrl,
    logoutUrl: settings.idp.sloUrl ?? settings.idp.ssoUrl,
    logoutCallbackUrl: settings.sp.logoutCallbackUrl,
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    acceptedClockSkewMs: settings.clockSkewMs,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: requests,
    // Entra refuses a requested authentication context it did not use (AADSTS75011: MFA, Windows Hello).
    disableRequestedAuthnContext: true,
    identifierFormat: null,
    // With a key pair, requests and sign-out answers are signed, and an assertion encrypted to the
    // certificate (Entra's token encryption, ADFS's encryption certificate) is decrypted by node-saml, only
    // once the response's signature is verified; checkAssertion then checks what it decrypted.
    ...(settings.sp.key ? { privateKey: settings.sp.key, decryptionPvk: settings.sp.key } : {}),
    ...(settings.sp.cert ? { publicCert: settings.sp.cert } : {}),
  });

  const refuse = async (
    reason: string,
    actor: Actor,
    noAccess?: NoAccess | SignInRefusal,
  ): Promise<SignInOutcome> => {
    await db.transaction((tx) =>
      activityLog.record(tx, actor, {
        action: 'user.sign_in_refused',
        recordType: 'saml_response',
        summary: { method: 'saml', reason, ...(noAccess ? { noAccess } : {}) },
      }),
    );
    return { refused: reason, ...(noAccess ? { noAccess } : {}) };
  };

  /** The response checked and verified, or why it is refused. */
  async function verified(posted: unknown): Promise<{ inResponseTo: string; facts: AssertionFacts }> {
    const { inResponseTo } = checkResponse(posted, expected);
    let assertionXml: string | undefined;
    try {
      const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: posted as string });
      assertionXml = profile?.getAssertionXml?.();
    } catch (err) {
      throw new SamlRefusal(`node-saml refused it (${(err as Error).message.slice(0, 200)})`);
    }
    if (!assertionXml) throw new SamlRefusal('it carries no assertion');
    return { inResponseTo, facts: checkAssertion(assertionXml, expected, inResponseTo) };
  }

  /** The identity provider's sign-out request checked and verified, with the NameID it names. */
  async function verifiedLogout(message: LogoutMessage): Promise<CheckedLogout & { nameId: string }> {
    const checked = checkLogoutRequest(message, logoutExpected);
    let profile: Profile | null;
    try {
      ({ profile } =
        message.binding === 'redirect'
          ? await saml.validateRedirectAsync(checked.fields, message.query)
          : await saml.validatePostRequestAsync(checked.fields));
    } catch (err) {
      throw new SamlRefusal(`node-saml refused it (${(err as Error).message.slice(0, 200)})`);
    }
    if (!profile?.nameID || profile.ID !== checked.id) throw new SamlRefusal('it names no subject');
    return { ...checked, nameId: profile.nameID };
  }

  return {
    /** This service provider's metadata, for the identity provider. */
    metadata: () =>
      withRedirectSignOut(
        saml.generateServiceProviderMetadata(settings.sp.cert ?? null, settings.sp.cert ?? null),
      ),

    /** Where to send someone to sign in, coming back to `returnTo` (a local path). */
    loginUrl: (returnTo: string) => saml.getAuthorizeUrlAsync(returnTo, undefined, {}),

    /** Signs in the person a posted response vouches for, or says why not (each refusal in the audit log). */
    async signIn(posted: unknown, actor: Actor): Promise<SignInOutcome> {
      let checked: { inResponseTo: string; facts: AssertionFacts };
      try {
        checked = await verified(posted);
      } catch (err) {
        if (err instanceof SamlRefusal) return refuse(err.reason, actor);
        throw err;
      }
      const { inResponseTo, facts } = checked;
      const outcome = await db.transaction(async (tx): Promise<SignInOutcome> => {
        if (!(await samlRepository.useRequest(tx, inResponseTo)))
          return { refused: 'it answers a sign-in request already answered, or none' };
        const until = new Date(facts.notOnOrAfter.getTime() + settings.clockSkewMs);
        if (!(await samlRepository.acceptAssertion(tx, facts.id, until)))
          return { refused: 'its assertion was used before' };
        const identity = identityOf(
          { nameId: facts.nameId, issuer: settings.idp.entityId, attributes: facts.attributes },
          settings.mapping,
        );
        if ('noAccess' in identity)
          return { refused: 'the claims grant no access', noAccess: identity.noAccess };
        const user = await users.signInWithIdentity(tx, identity, actor);
        if ('refused' in user) return { refused: 'the user may not sign in', noAccess: user.refused };
        const session = {
          nameId: facts.nameId,
          nameIdFormat: facts.nameIdFormat,
          sessionIndex: facts.sessionIndex,
        };
        return { user, session };
      });
      return 'refused' in outcome ? refuse(outcome.refused, actor, outcome.noAccess) : outcome;
    },

    /** Where to end the identity provider's session too, when it has a sign-out address; else nothing. */
    async logoutUrl(session: SamlSession): Promise<string | undefined> {
      if (!settings.idp.sloUrl) return undefined;
      return saml.getLogoutUrlAsync(
        {
          issuer: settings.idp.entityId,
          nameID: session.nameId,
          nameIDFormat: session.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
          ...(session.sessionIndex ? { sessionIndex: session.sessionIndex } : {}),
        },
        '/sign-in',
        {},
      );
    },

    /**
     * Checks the identity provider's answer to a sign-out request (signature, issuer, the request's id), by
     * HTTP-Redirect or HTTP-POST. It only chooses the words the person sees: their session here has ended.
     */
    async logoutAnswered(answer: LogoutAnswer): Promise<boolean> {
      try {
        const { loggedOut } =
          'form' in answer
            ? await saml.validatePostResponseAsync({ SAMLResponse: String(answer.form.SAMLResponse) })
            : await saml.validateRedirectAsync(answer.query as Record<string, string>, answer.originalQuery);
        return loggedOut;
      } catch {
        return false;
      }
    },

    /**
     * Single logout started by the identity provider: its signed sign-out request ends every session here
     * that its sign-in began for the NameID (only those of its SessionIndexes when it names any), each user
     * signed out in the audit log, and the answer is a signed LogoutResponse for the browser to take back.
     * A request that fails a check ends nothing and is logged as refused.
     */
    async endIdpSession(message: LogoutMessage, actor: Actor): Promise<IdpLogoutOutcome> {
      let request: CheckedLogout & { nameId: string };
      try {
        request = await verifiedLogout(message);
      } catch (err) {
        if (!(err instanceof SamlRefusal)) throw err;
        await db.transaction((tx) =>
          activityLog.record(tx, actor, {
            action: 'user.sign_out_refused',
            recordType: 'saml_logout_request',
            summary: { method: 'saml', reason: err.reason },
          }),
        );
        return { refused: err.reason };
      }
      const endedSessions = await db.transaction(async (tx) => {
        const sessions = await endSingleSignOnSessions(tx, request.nameId, request.sessionIndexes);
        const perUser = new Map<number, number>();
        for (const { userId } of sessions)
          if (userId !== null) perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
        for (const [userId, sessionsEnded] of perUser)
          await activityLog.record(
            tx,
            { ...actor, kind: 'user', userId },
            {
              action: 'user.sign_out',
              recordType: 'app_user',
              recordId: userId,
              summary: { method: 'saml', by: 'identity_provider', sessionsEnded },
            },
          );
        return sessions.map((session) => session.sid);
      });
      const answer = await saml.getLogoutResponseUrlAsync(
        { issuer: settings.idp.entityId, nameID: request.nameId, nameIDFormat: '', ID: request.id },
        request.relayState ?? '',
        {},
        true,
      );
      return { answer, endedSessions };
    },
  };
}
