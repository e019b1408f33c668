import {
  addYears,
  childDue,
  classOf,
  DEFAULT_CLASSES,
  describeClass,
  entryDueDate,
  isDue,
  runsFrom,
  type ChildFacts,
  type ListEntry,
  type RetentionClass,
} from './policy';

const rule = (code: string) => DEFAULT_CLASSES.find((c) => c.code === code) as RetentionClass;
const entry = (over: Partial<ListEntry> = {}): ListEntry => ({
  caseType: 'child-in-need',
  ageYears: 10,
  legalStatus: null,
  placementType: null,
  listDate: '2026-03-15',
  ...over,
});
const child = (entries: ListEntry[], over: Partial<ChildFacts> = {}): ChildFacts => ({
  caseRef: 'DS000001',
  entries,
  lastAuditDate: null,
  openWork: false,
  ...over,
});

describe('the default classes', () => {
  it('keep children in care and care leavers to the 75th birthday, child protection 35 years, adoption 100 years, others to the 25th birthday', () => {
    expect(DEFAULT_CLASSES.map((c) => [c.code, c.basis, c.years, c.unknownAgeYears])).toEqual([
      ['early-help', 'age', 25, 25],
      ['child-in-need', 'age', 25, 25],
      ['child-protection', 'years', 35, null],
      ['child-in-care', 'age', 75, 75],
      ['care-leaver', 'age', 75, 75],
      ['disabled-children', 'age', 25, 25],
      ['front-door', 'age', 25, 25],
      ['youth-justice', 'age', 25, 25],
      ['adoption', 'years', 100, null],
    ]);
  });

  it('read in words', () => {
    expect(describeClass(rule('child-in-care'))).toBe(
      'Until the 75th birthday (75 years after retention runs from if the age is unknown)',
    );
    expect(describeClass(rule('child-protection'))).toBe('35 years after retention runs from');
    expect(describeClass({ basis: 'age', years: 21, unknownAgeYears: 30 })).toMatch(
      /^Until the 21st birthday/,
    );
  });
});

describe('adding years', () => {
  it.each([
    ['2026-03-15', 35, '2061-03-15'],
    ['2026-12-31', 1, '2027-12-31'],
    // 29 February in a year without one: the later day, 1 March, so nothing is pseudonymised early.
    ['2024-02-29', 1, '2025-03-01'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2024-02-29', 65, '2089-03-01'],
    ['2028-02-29', -10, '2018-03-01'],
    ['2026-06-01', 100, '2126-06-01'],
  ])('%s plus %i years is %s', (from, years, expected) => {
    expect(addYears(from, years)).toBe(expected);
  });
});

describe('the class of a list entry', () => {
  it.each([
    [{ caseType: 'child-in-care', legalStatus: 'C2' }, 'child-in-care'],
    [{ caseType: 'child-in-care', legalStatus: 'E1' }, 'adoption'],
    [{ caseType: 'child-in-care', legalStatus: 'D1' }, 'adoption'],
    [{ caseType: 'child-in-care', legalStatus: 'C2', placementType: 'A5' }, 'adoption'],
    [{ caseType: 'child-in-care', legalStatus: 'C2', placementType: 'U5' }, 'child-in-care'],
    [{ caseType: 'child-protection' }, 'child-protection'],
  ])('%o is %s', (over, expected) => {
    expect(classOf(entry(over))).toBe(expected);
  });
});

describe('when retention runs from', () => {
  it('is the last list the child is on', () => {
    expect(runsFrom(child([entry({ listDate: '2020-01-10' }), entry({ listDate: '2023-05-02' })]))).toBe(
      '2023-05-02',
    );
  });
  it('or the last day an audit of them recorded anything, when later', () => {
    expect(runsFrom(child([entry({ listDate: '2023-05-02' })], { lastAuditDate: '2023-09-30' }))).toBe(
      '2023-09-30',
    );
    expect(runsFrom(child([entry({ listDate: '2023-05-02' })], { lastAuditDate: '2022-01-01' }))).toBe(
      '2023-05-02',
    );
  });
});

describe('the due date of one entry', () => {
  it('of a years class: that many years after retention runs from', () => {
    expect(
      entryDueDate(entry({ caseType: 'child-protection' }), rule('child-protection'), '2026-04-01'),
    ).toBe('2061-04-01');
  });

  it('of an age class: the birthday for the latest birth date the age allows', () => {
    // Aged 10 on 15 March 2026: born on 15 March 2016 at the latest, so 75 on 15 March 2091 at the latest.
    expect(entryDueDate(entry({ ageYears: 10 }), rule('child-in-care'), '2026-03-15')).toBe('2091-03-15');
    // Aged 17 on the list: 25 eight years on.
    expect(entryDueDate(entry({ ageYears: 17 }), rule('early-help'), '2026-03-15')).toBe('2034-03-15');
  });

  it('on a list of 29 February: the birthday falls on 1 March in a common year', () => {
    // Aged 10 on 29 February 2024: born by 28 February 2014 (one born 1 March 2014 was still 9), so 75 by
    // 28 February 2089; 1 March 2089 is a day later, never earlier.
    expect(
      entryDueDate(entry({ ageYears: 10, listDate: '2024-02-29' }), rule('child-in-care'), '2024-02-29'),
    ).toBe('2089-03-01');
    // Aged 21 on 29 February 2024: 25 in the leap year 2028, on 29 February itself.
    expect(
      entryDueDate(entry({ ageYears: 21, listDate: '2024-02-29' }), rule('child-in-need'), '2024-02-29'),
    ).toBe('2028-02-29');
  });

  it('of an age class with no age: the fallback years after retention runs from', () => {
    expect(entryDueDate(entry({ ageYears: null }), rule('child-in-care'), '2026-03-15')).toBe('2101-03-15');
    expect(
      entryDueDate(entry({ ageYears: null }), { ...rule('early-help'), unknownAgeYears: 30 }, '2026-03-15'),
    ).toBe('2056-03-15');
  });

  it('of an age class: never before retention runs from (a birthday already passed)', () => {
    // 26 on a list of 2020, audited in 2023: the 25th birthday had passed, so it is due when retention runs from.
    expect(
      entryDueDate(entry({ ageYears: 26, listDate: '2020-01-01' }), rule('child-in-need'), '2023-06-01'),
    ).toBe('2023-06-01');
  });
});

describe('when a child falls due', () => {
  it('is the latest date any of their entries allows: the longest retention wins', () => {
    const due = childDue(
      child([
        entry({ caseType: 'child-in-need', ageYears: 5, listDate: '2010-01-01' }),
        entry({ caseType: 'child-protection', ageYears: 6, listDate: '2011-01-01' }),
        entry({ caseType: 'early-help', ageYears: 9, listDate: '2014-01-01' }),
      ]),
      DEFAULT_CLASSES,
    );
    // Child in need: 25 in 2030; early help: 25 in 2030; child protection: 35 years after 2014 (the last list).
    expect(due).toEqual({
      caseRef: 'DS000001',
      classCode: 'child-protection',
      runsFrom: '2014-01-01',
      dueDate: '2049-01-01',
    });
    expect(isDue(due, '2048-12-31')).toBe(false);
    expect(isDue(due, '2049-01-01')).toBe(true);
  });

  it('follows the classes given, not the defaults', () => {
    const classes = DEFAULT_CLASSES.map((c) => (c.code === 'child-protection' ? { ...c, years: 10 } : c));
    expect(
      childDue(child([entry({ caseType: 'child-protection', listDate: '2014-01-01' })]), classes)?.dueDate,
    ).toBe('2024-01-01');
  });

  it('is never while work on them is open, nor for a child on no list', () => {
    expect(childDue(child([entry()], { openWork: true }), DEFAULT_CLASSES)).toBeUndefined();
    expect(childDue(child([]), DEFAULT_CLASSES)).toBeUndefined();
    expect(isDue(undefined, '2200-01-01')).toBe(false);
  });
});
