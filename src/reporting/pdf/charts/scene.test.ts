import {
  inkOn,
  linearScale,
  luminance,
  markerCorners,
  mix,
  niceTicks,
  wrapText,
  type Measure,
} from './scene';

const measure: Measure = (text, size) => text.length * size * 0.5;

describe('chart geometry', () => {
  it('maps a domain onto a range, either way round', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(25)).toBe(150);
    expect(y(100)).toBe(0);
  });

  it('chooses round ticks that cover the values', () => {
    expect(niceTicks(0.41, 0.7, 5)).toEqual({ ticks: [0.4, 0.5, 0.6, 0.7], domain: [0.4, 0.7] });
    expect(niceTicks(106.2, 151.2, 5)).toEqual({
      ticks: [100, 110, 120, 130, 140, 150, 160],
      domain: [100, 160],
    });
    expect(niceTicks(5, 5).ticks.length).toBeGreaterThan(1);
  });

  it('writes black on light fills and white on dark ones', () => {
    expect(inkOn('#ffdd00')).toBe('#0b0c0c');
    expect(inkOn('#f3f2f1')).toBe('#0b0c0c');
    expect(inkOn('#00703c')).toBe('#ffffff');
    expect(inkOn('#1d70b8')).toBe('#ffffff');
  });

  it('mixes colours and measures their luminance', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(luminance('#ffffff')).toBeCloseTo(1);
    expect(luminance('#000000')).toBe(0);
  });

  it('wraps words into lines that fit', () => {
    expect(wrapText('Requires improvement now', 60, 10, measure)).toEqual(['Requires', 'improvement', 'now']);
    expect(wrapText('Good', 60, 10, measure)).toEqual(['Good']);
  });

  it('gives a diamond four corners and a triangle three', () => {
    expect(markerCorners('diamond', 0, 0, 10)).toHaveLength(4);
    expect(markerCorners('triangle', 0, 0, 10)).toHaveLength(3);
  });
});
