import { chartDataTable } from './data-tables';

describe('a chart data table', () => {
  it('gives grade counts with their share of the row', () => {
    const table = chartDataTable(
      {
        kind: 'grade-bars',
        grades: [
          { code: 'good', label: 'Good', colour: '#00703c' },
          { code: 'bad', label: 'Inadequate', colour: '#d4351c' },
        ],
        rows: [{ label: 'North', counts: { good: 3, bad: 1 } }],
      },
      'Grades',
      'Area',
    );
    expect(table.columns.map((c) => c.header)).toEqual(['Area', 'Good', 'Inadequate', 'Total']);
    expect(table.rows).toEqual([['North', '3 (75%)', '1 (25%)', '4']]);
    expect(table.rowHeaders).toBe(true);
  });

  it('gives SPC points with their variation, then the lines', () => {
    const table = chartDataTable(
      {
        kind: 'spc',
        points: [{ label: 'Jan', value: 0.5, variation: 'concern' }],
        mean: 0.4,
        upper: 0.6,
        lower: 0.2,
        trial: true,
        format: 'percent',
      },
      'Trend',
      'Month',
    );
    expect(table.rows).toEqual([
      ['Jan', '50%', 'Special cause: concern'],
      ['Mean', '40%', '–'],
      ['Upper trial limit', '60%', '–'],
      ['Lower trial limit', '20%', '–'],
    ]);
  });

  it('gives heat map counts, a dash where there are none', () => {
    const table = chartDataTable(
      { kind: 'heatmap', rows: ['Planning'], columns: ['Good', 'Inadequate'], values: [[4, null]] },
      'Sections',
      'Section',
    );
    expect(table.rows).toEqual([['Planning', '4', '–']]);
  });
});
