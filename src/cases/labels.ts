/** Words for the codes case lists carry, for filters and profiles. Unknown codes show as themselves. */

/** The kinds of case a round samples and a framework is written for. */
export const CASE_TYPE_LABELS: Record<string, string> = {
  'early-help': 'Early help',
  'child-in-need': 'Child in need',
  'child-protection': 'Child protection',
  'child-in-care': 'Child in care',
  'care-leaver': 'Care leaver',
  'disabled-children': 'Disabled children',
  'front-door': 'Front door',
  'youth-justice': 'Youth justice',
};

export const ABUSE_LABELS: Record<string, string> = {
  neglect: 'Neglect',
  'physical-abuse': 'Physical abuse',
  'sexual-abuse': 'Sexual abuse',
  'emotional-abuse': 'Emotional abuse',
  multiple: 'Multiple categories',
};

/** SSDA903 legal statuses, as Annex A list 8 gives them. */
export const LEGAL_STATUS_LABELS: Record<string, string> = {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order',
  E1: 'Placement order',
  V2: 'Single period of accommodation under section 20',
  V3: 'Short term breaks, episodes recorded',
  V4: 'Short term breaks, agreements recorded',
  L1: 'Police protection in local authority accommodation',
  L2: 'Emergency protection order',
  L3: 'Child assessment order in local authority accommodation',
  J1: 'Remanded to local authority or youth detention',
  J2: 'Local authority accommodation under PACE',
  J3: 'Youth rehabilitation order',
};

/** SSDA903 placement types, as Annex A list 8 gives them. */
export const PLACEMENT_TYPE_LABELS: Record<string, string> = {
  U1: 'Foster placement with relatives, long term',
  U2: 'Foster placement with relatives, fostering for adoption',
  U3: 'Foster placement with relatives, not fostering for adoption',
  U4: 'Foster placement, long term',
  U5: 'Foster placement, fostering for adoption',
  U6: 'Foster placement, not fostering for adoption',
  A3: 'Placed for adoption with consent, with current foster carer',
  A4: 'Placed for adoption with consent, not with current foster carer',
  A5: 'Placed for adoption under an order, with current foster carer',
  A6: 'Placed for adoption under an order, not with current foster carer',
  P1: 'Placed with parents',
  P2: 'Independent living',
  P3: 'Residential employment',
  H5: 'Residential accommodation',
  K1: 'Secure children’s home',
  K2: 'Children’s home',
  R1: 'Residential care home',
  R2: 'NHS or health trust',
  R3: 'Family centre or mother and baby unit',
  R5: 'Young offender institution',
  S1: 'Residential school',
  T0: 'Temporary placement',
  T1: 'Temporary placement: hospital',
  T2: 'Temporary placement: holiday',
  T3: 'Temporary placement: carer’s holiday',
  T4: 'Temporary placement: seven days or less',
  Z1: 'Other placement',
};

/** "U6: Foster placement, not fostering for adoption"; a code without a label shows as itself. */
export function codeLabel(labels: Record<string, string>, code: string, withCode = true): string {
  const label = labels[code];
  if (!label) return code;
  return withCode ? `${code}: ${label}` : label;
}
