import Handlebars from 'handlebars';
import { registerTableRegion } from './table-region';

const hbs = Handlebars.create();
registerTableRegion(hbs);
const render = (template: string, context: object) => hbs.compile(template)(context);

describe('tableRegion', () => {
  it('puts the table in a named, focusable region, the name escaped and the body in the caller’s context', () => {
    const html = render(
      '{{#each teams}}{{#tableRegion "Staff of " name id="staff"}}<table>{{#each people}}<td>{{this}} of {{../name}} in {{../../area}}</td>{{/each}}</table>{{/tableRegion}}{{/each}}',
      { area: 'North', teams: [{ name: 'A & <B>', people: ['Ann'] }] },
    );
    expect(html).toBe(
      '<div class="app-table-scroll" id="staff" role="region" aria-label="Staff of A &amp; &lt;B&gt;" tabindex="0"><table><td>Ann of A &amp; &lt;B&gt; in North</td></table></div>',
    );
  });

  it('refuses a table without a name', () => {
    expect(() => render('{{#tableRegion missing}}<table></table>{{/tableRegion}}', {})).toThrow(
      /needs a label/,
    );
  });
});
