/** Text as the browser shows it, from escaped HTML. */
export const decode = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const attribute = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? undefined;

/**
 * What the form posting to `action` would send as rendered, without anyone changing it: its hidden fields,
 * text inputs, checked radios and checkboxes, and textareas (a checkbox group as an array).
 */
export function formIn(html: string, action: string): Record<string, string | string[]> {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]);
  const form = forms.find((f) => attribute(f.slice(0, f.indexOf('>')), 'action') === action);
  if (!form) throw new Error(`no form posting to ${action} in the page`);
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string, many = false) => {
    const before = fields[name];
    if (many) fields[name] = [...(Array.isArray(before) ? before : before ? [before] : []), value];
    else fields[name] = value;
  };
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    const type = attribute(tag, 'type') ?? 'text';
    if (!name || type === 'submit' || type === 'file') continue;
    if ((type === 'radio' || type === 'checkbox') && !/\schecked\b/.test(tag)) continue;
    add(name, decode(attribute(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')), type === 'checkbox');
  }
  for (const [, tag, text] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(tag as string, 'name');
    if (name) add(name, decode(text as string));
  }
  return fields;
}
