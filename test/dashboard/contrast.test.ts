/**
 * Highlights are readable: WCAG 2 contrast computed for every category's colours. Text on a
 * highlight needs 4.5:1 (AA for body text), on the tint and on its darkest stripe; the underline
 * and the page view's outline (drawn in the category's ink) need 3:1 against white and against the
 * tint (AA for graphics that carry meaning), so a span is found without telling tints apart.
 */
import { CATEGORY_STYLES, HIGHLIGHT_ALPHA, OTHER_STYLE, TEXT_COLOUR } from '../../src/dashboard/web/src/categories';
import { contrast, over } from '../../src/dashboard/web/src/contrast';

const WHITE = '#ffffff';
const styles = [...Object.entries(CATEGORY_STYLES), ['other', OTHER_STYLE] as const];

describe('contrast computation', () => {
  test('matches known WCAG values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast('#F0E442', '#ffffff')).toBeLessThan(1.4);
    expect(over('#00000080', '#ffffff')).toBe('#7f7f7f');
  });
});

describe.each(styles)('category %s', (_, style) => {
  const tint = over(`${style.colour}${HIGHLIGHT_ALPHA}`, WHITE);
  // The stripes' darker band (categoryCss: the colour at 0x33 over the tint).
  const stripe = over(`${style.colour}33`, tint);

  test('text on the highlight passes AA (4.5:1)', () => {
    expect(contrast(TEXT_COLOUR, tint)).toBeGreaterThanOrEqual(4.5);
    if (style.striped) expect(contrast(TEXT_COLOUR, stripe)).toBeGreaterThanOrEqual(4.5);
  });

  test('its underline and outline stand out from white and from the tint (3:1)', () => {
    expect(contrast(style.ink, WHITE)).toBeGreaterThanOrEqual(3);
    expect(contrast(style.ink, tint)).toBeGreaterThanOrEqual(3);
  });
});

test('the yellow "social" highlight is found by its ink, not its tint', () => {
  const social = CATEGORY_STYLES.social;
  expect(contrast(over(`${social.colour}${HIGHLIGHT_ALPHA}`, WHITE), WHITE)).toBeLessThan(1.2);
  expect(contrast(social.ink, WHITE)).toBeGreaterThanOrEqual(4.5);
});
