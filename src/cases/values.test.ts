import {
  BadValue,
  date,
  excelError,
  leadingCode,
  slug,
  text,
  wholeNumber,
  withoutLetterPrefix,
  yesNo,
} from './values';

describe('Annex A values', () => {
  it('drop the lettered prefix when there is one', () => {
    expect(withoutLetterPrefix('a) Male')).toBe('Male');
    expect(withoutLetterPrefix('p1) 5D: LA services')).toBe('5D: LA services');
    expect(withoutLetterPrefix('zz) T4: Temporary placement')).toBe('T4: Temporary placement');
    expect(withoutLetterPrefix('Male')).toBe('Male');
  });

  it('take the leading code of coded values', () => {
    expect(leadingCode('E1: Placement order')).toBe('E1');
    expect(leadingCode('f) U6: Foster placement - not FFA')).toBe('U6');
    expect(leadingCode('e) PR4 - Private provision')).toBe('PR4');
    expect(leadingCode('u6')).toBe('U6');
  });

  it.each<[Parameters<typeof date>[0], string]>([
    ['16/09/2020', '2020-09-16'],
    ['1/2/2021', '2021-02-01'],
    ['2021-02-16', '2021-02-16'],
    [44090, '2020-09-16'],
    ['44090', '2020-09-16'],
    [new Date(Date.UTC(2020, 8, 16)), '2020-09-16'],
  ])('read the date %p', (cell, iso) => {
    expect(date(cell)).toBe(iso);
  });

  it('refuse dates that do not exist or are not dates', () => {
    expect(date('31/02/2021')).toEqual(new BadValue('is not a real date'));
    expect(date('next Tuesday')).toEqual(new BadValue('must be a date as dd/mm/yyyy'));
    expect(date(-3)).toBeInstanceOf(BadValue);
    expect(date('')).toBeUndefined();
  });

  it('read ages with decimals as whole years, and refuse impossible ones', () => {
    expect(wholeNumber(16.659822039698838, 0, 30)).toBe(16);
    expect(wholeNumber('11.58', 0, 30)).toBe(11);
    expect(wholeNumber('abc', 0, 30)).toEqual(new BadValue('must be a number from 0 to 30'));
    expect(wholeNumber(45, 0, 30)).toBeInstanceOf(BadValue);
  });

  it('read yes and no in every form', () => {
    expect(['a) Yes', 'Yes', 'Y', 'b) No', 'no', 'c) Unknown'].map((v) => yesNo(v, true))).toEqual([
      'yes',
      'yes',
      'yes',
      'no',
      'no',
      'unknown',
    ]);
    expect(yesNo('c) Unknown', false)).toEqual(new BadValue('must be yes or no'));
  });

  it('treat Excel errors as missing and recognise them', () => {
    expect(excelError({ error: '#N/A' })).toBe('#N/A');
    expect(excelError('#N/A')).toBe('#N/A');
    expect(text({ error: '#N/A' })).toBeUndefined();
    expect(text('  x ')).toBe('x');
  });

  it('turn labels into codes', () => {
    expect(slug('b) Physical abuse')).toBe('physical-abuse');
    expect(slug('Multiple/not recommended')).toBe('multiple-not-recommended');
  });
});
