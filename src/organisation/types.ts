export const TEAM_KINDS = [
  'front_door',
  'assessment',
  'family_safeguarding',
  'children_in_care',
  'care_leavers',
  'disabled_children',
  'early_help',
  'youth_justice',
  'other',
] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export const TEAM_KIND_LABELS: Record<TeamKind, string> = {
  front_door: 'Front door / MASH',
  assessment: 'Assessment',
  family_safeguarding: 'Family safeguarding',
  children_in_care: 'Children in care',
  care_leavers: 'Care leavers',
  disabled_children: 'Disabled children',
  early_help: 'Early help',
  youth_justice: 'Youth justice',
  other: 'Other',
};

export interface Locality {
  id: number;
  code: string;
  name: string;
}

export type ServiceArea = Locality;

export interface Team {
  id: number;
  code: string;
  name: string;
  kind: TeamKind;
  localityId: number | null;
  localityName: string | null;
  serviceAreaId: number | null;
  serviceAreaName: string | null;
  active: boolean;
  peopleCount: number;
  managerNames: string[];
}

export interface Person {
  id: number;
  displayName: string;
  jobTitle: string | null;
  teamId: number | null;
  lineManagerName: string | null;
  active: boolean;
}

/** A member of staff as administrators manage them. */
export interface StaffMember extends Person {
  teamName: string | null;
  teamActive: boolean | null;
  lineManagerId: number | null;
  email: string | null;
  externalRef: string | null;
}
