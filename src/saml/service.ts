import { SAML, ValidateInResponseTo, type CacheProvider } from '@node-saml/passport-saml';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database } from '../db/transaction';
import type { UsersService } from '../users/service';
import type { SignInRefusal } from '../users/single-sign-on';
import type { User } from '../users/user';
import { checkAssertion, checkResponse, SamlRefusal, type AssertionFacts, type Expected } from './checks';
import { identityOf, type NoAccess } from './mapping';
import { samlRepository } from './repository';
import type { SamlSettings } from './settings';

/** How long a sign-in request waits for its answer. */
const REQUEST_TTL_MS = 10 * 60_000;

/** What the session keeps of a single sign-on, to end the identity provider's session at sign-out. */
export interface SamlSession {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

export type SignInOutcome =
  { user: User; session: SamlSession } | { refused: string; noAccess?: NoAccess | SignInRefusal };

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

  return {
    /** This service provider's metadata, for the identity provider. */
    metadata: () => saml.generateServiceProviderMetadata(settings.sp.cert ?? null, settings.sp.cert ?? null),

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

    /** Checks the identity provider's answer to a sign-out request (signature, issuer, the request's id). */
    async logoutAnswered(query: Record<string, unknown>, originalQuery: string): Promise<boolean> {
      try {
        const { loggedOut } = await saml.validateRedirectAsync(
          query as Record<string, string>,
          originalQuery,
        );
        return loggedOut;
      } catch {
        return false;
      }
    },
  };
}
