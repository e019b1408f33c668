import { Router } from 'express';
import { currentUser, requireSignIn } from '../http/authorise';

/** Who the API client is: handy for checking a token works, and what it may do. */
export function apiIdentityRoutes(): Router {
  const router = Router();
  router.get('/me', requireSignIn, (req, res) => {
    const user = currentUser(req);
    res.json({
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      roles: user.roles,
      managedTeamIds: user.managedTeamIds,
      serviceAreaIds: user.serviceAreaIds,
      authenticatedWith: req.authMethod,
    });
  });
  return router;
}
