export const ROLES = [
  'admin',
  'auditor',
  'moderator',
  'team_manager',
  'head_of_service',
  'director',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  auditor: 'Auditor',
  moderator: 'Moderator',
  team_manager: 'Team manager',
  head_of_service: 'Head of service',
  director: 'Director',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
