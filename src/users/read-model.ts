import type { Role } from '../auth/roles';
import type { Executor } from '../db/transaction';
import { userRepository } from './repository';

/** What other features may read of users, in the caller's transaction. Only the users feature changes them. */
export const usersReadModel = {
  findById: (ex: Executor, id: number) => userRepository.findById(ex, id),
  findByEmail: (ex: Executor, email: string) => userRepository.findByEmail(ex, email),
  withRole: (ex: Executor, role: Role) => userRepository.listWithRole(ex, role),
};
