import type Handlebars from 'handlebars';

/**
 * `{{#tableRegion "Staff of " team.name id="optional-id"}}<table>…</table>{{/tableRegion}}`: a data table in
 * a region of its own that scrolls sideways when the table is wider than the screen, so the page does not
 * (WCAG 1.4.10 reflow). The region is named (its arguments joined: the table's caption, or what it lists)
 * and focusable, so keyboard users can scroll it and screen reader users hear what it is. The body keeps
 * the caller's context, so `../` inside it means what it meant outside.
 */
export function registerTableRegion(hbs: typeof Handlebars): void {
  hbs.registerHelper('tableRegion', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Handlebars.HelperOptions;
    const name = args
      .map((part) => (typeof part === 'string' || typeof part === 'number' ? String(part) : ''))
      .join('')
      .trim();
    if (!name) throw new Error('tableRegion needs a label: what the table lists');
    const id = options.hash.id ? ` id="${hbs.escapeExpression(String(options.hash.id))}"` : '';
    // The body is template output, escaped when it was rendered; only the label and id are new here.
    return new hbs.SafeString(
      `<div class="app-table-scroll"${id} role="region" aria-label="${hbs.escapeExpression(name)}" tabindex="0">${options.fn(this)}</div>`,
    );
  });
}
