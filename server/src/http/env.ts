import type { Session } from '../auth/sessions.ts';
import type { User } from '../auth/scope.ts';

/** Context variables set by the auth middleware for every signed-in request. */
export interface AppEnv {
  Variables: {
    user: User;
    session: Session;
    /** data_version at the time the session was checked (see http/cached-body.ts). */
    dataVersion: number;
  };
}
