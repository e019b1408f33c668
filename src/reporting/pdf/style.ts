/** Type sizes and colours of the pack, after GOV.UK's print styles. */

export const MARGIN = { top: 64, bottom: 64, left: 56, right: 56 };

export const BODY_SIZE = 11.5;
export const SMALL_SIZE = 9.5;
export const TABLE_SIZE = 10;
export const HEADING_SIZE = { 1: 24, 2: 17, 3: 13.5 } as const;
/** Space above a heading, by level. */
export const HEADING_SPACE = { 1: 6, 2: 14, 3: 10 } as const;
export const LINE_GAP = 2.5;
/** Space after a paragraph, list, table or figure. */
export const BLOCK_GAP = 10;

export const TEXT = '#0b0c0c';
export const SECONDARY_TEXT = '#505a5f';
export const BORDER = '#b1b4b6';
export const CARD_BACKGROUND = '#f3f2f1';
export const BRAND = '#1d70b8';
