/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';

/**
 * What axe-core does not check: ids used twice, references (aria-describedby, aria-labelledby,
 * aria-controls, label for) to elements that do not exist, and data tables outside a focusable, named,
 * scrollable region (so that a wide table scrolls on its own at 320 px rather than the page).
 */
export function structureProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) =>
      `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${el.getAttribute('name') ? ` name="${el.getAttribute('name')}"` : ''}>`;
    const counts = new Map<string, number>();
    for (const el of document.querySelectorAll('[id]')) counts.set(el.id, (counts.get(el.id) ?? 0) + 1);
    for (const [id, count] of counts) if (count > 1) problems.push(`id "${id}" is used ${count} times`);
    for (const attribute of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
      for (const el of document.querySelectorAll(`[${attribute}]`)) {
        for (const id of (el.getAttribute(attribute) ?? '').split(/\s+/).filter(Boolean)) {
          if (!document.getElementById(id))
            problems.push(`${describe(el)} has ${attribute}="${id}", and no element has that id`);
        }
      }
    }
    for (const label of document.querySelectorAll('label[for]')) {
      const id = label.getAttribute('for') ?? '';
      if (!document.getElementById(id))
        problems.push(`label "${label.textContent?.trim()}" is for "${id}", and no element has that id`);
    }
    document.querySelectorAll('table').forEach((table, index) => {
      const region = table.closest('.app-table-scroll');
      const name = region?.getAttribute('aria-label')?.trim() || region?.getAttribute('aria-labelledby');
      if (
        !region ||
        region.getAttribute('role') !== 'region' ||
        region.getAttribute('tabindex') !== '0' ||
        !name
      )
        problems.push(
          `table ${index + 1} ("${table.querySelector('caption')?.textContent?.trim() ?? table.id}") is not inside a focusable, named scrolling region (div.app-table-scroll with role="region", aria-label and tabindex="0")`,
        );
    });
    return problems;
  });
}

/**
 * At the page's current width: whether the page scrolls sideways, and if so which elements stick out (the
 * innermost ones, outside the tables' own scrolling regions).
 */
export function sidewaysScrolling(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return [];
    // An element's right edge, or that of its content where the content overflows it (a long word).
    const right = (el: Element) => {
      const box = el.getBoundingClientRect();
      return Math.max(box.right, box.left + el.scrollWidth);
    };
    const sticksOut = (el: Element) => right(el) > width + 0.5 && !el.closest('.app-table-scroll');
    const culprits = [...document.body.querySelectorAll('*')]
      .filter(sticksOut)
      .filter((el) => ![...el.children].some(sticksOut))
      .slice(0, 5)
      .map((el) => {
        const classes = [...el.classList].map((c) => `.${c}`).join('');
        const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
        return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes}> ${Math.round(right(el))} px "${text}"`;
      });
    return [`the page is ${scrollWidth} px wide in a ${width} px window`, ...culprits];
  });
}

/** The page's main content as HTML, without what differs on every rendering (tokens, form keys). */
export function mainContent(page: Page): Promise<string> {
  return page.evaluate(() => {
    const main = document.querySelector('main')?.cloneNode(true) as HTMLElement | undefined;
    if (!main) return '';
    for (const input of main.querySelectorAll('input[type="hidden"]')) input.removeAttribute('value');
    return main.innerHTML;
  });
}

/** Opens every closed details element (collapsed answers, raw detail), so what is inside is checked too. */
export async function openAllDetails(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
  });
}
