/**
 * Page titles (the browser tab, and the first thing a screen reader announces) say which page of the
 * service this is: a page about one case names the case, and a paged list says which page it is.
 */

/** "Help and protection – case DS100265". */
export const caseTitle = (title: string, caseRef: string): string => `${title} – case ${caseRef}`;

/** "Audit log (page 2 of 5)"; a list on one page is just "Audit log". */
export const pagedTitle = (title: string, page: number, pages: number): string =>
  pages > 1 ? `${title} (page ${page} of ${pages})` : title;
