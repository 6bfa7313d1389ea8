/**
 * Category colours: the Okabe–Ito palette, chosen to stay distinct for the common kinds of colour
 * blindness, and, because ten categories are more than any palette separates by hue alone, each
 * category also has its own underline style (wavy, double, dotted, ...) shown in the legend.
 */
export interface CategoryStyle {
  colour: string;
  /**
   * The colour darkened until it keeps 4.5:1 against its own tint: underlines and outlines are
   * drawn in it, so a span stands out from white by more than a light tint (WCAG 1.4.11 asks 3:1;
   * test/dashboard/contrast.test.ts computes every pair).
   */
  ink: string;
  underline: 'solid' | 'double' | 'dotted' | 'dashed' | 'wavy';
  /** Diagonal stripes behind the text, for the categories that share an underline style. */
  striped: boolean;
  label: string;
}

export const CATEGORY_STYLES: Record<string, CategoryStyle> = {
  residue: { colour: '#D55E00', ink: '#994300', underline: 'wavy', striped: false, label: 'residue (markup, entities, script)' },
  ad: { colour: '#CC79A7', ink: '#864F6E', underline: 'double', striped: false, label: 'ad' },
  comment: { colour: '#56B4E9', ink: '#336B8B', underline: 'dotted', striped: false, label: 'comment' },
  teaser: { colour: '#E69F00', ink: '#855C00', underline: 'dashed', striped: false, label: 'teaser (other stories)' },
  navigation: { colour: '#0072B2', ink: '#005D91', underline: 'solid', striped: false, label: 'navigation' },
  byline: { colour: '#009E73', ink: '#006B4E', underline: 'double', striped: true, label: 'byline (bio, credits, source)' },
  social: { colour: '#F0E442', ink: '#777120', underline: 'wavy', striped: true, label: 'social (share, follow)' },
  legal: { colour: '#000000', ink: '#000000', underline: 'dotted', striped: true, label: 'legal (cookies, copyright)' },
  duplicate: { colour: '#999999', ink: '#616161', underline: 'dashed', striped: true, label: 'duplicate' },
  boilerplate: { colour: '#666666', ink: '#595959', underline: 'solid', striped: true, label: 'boilerplate (scorer)' },
};

export const OTHER_STYLE: CategoryStyle = { colour: '#777777', ink: '#5C5C5C', underline: 'solid', striped: false, label: 'other' };

export const styleOf = (category: string): CategoryStyle => CATEGORY_STYLES[category] ?? OTHER_STYLE;

/** A class name safe for CSS from a category of the set's own. */
export const categoryClass = (category: string) => `cat-${category.replace(/[^a-z0-9-]/g, '_')}`;

/** Tint of a highlight's background (hex alpha, ~30%): enough to see the colour, light enough to read the text on it. */
export const HIGHLIGHT_ALPHA = '4d';
/** The page's text colour (style.css --fg), drawn on highlights. */
export const TEXT_COLOUR = '#1b1b1b';

/** One CSS rule per category, so a set's own categories get a style too. */
export function categoryCss(categories: Iterable<string>): string {
  const rules: string[] = [];
  for (const c of new Set([...Object.keys(CATEGORY_STYLES), ...categories])) {
    const s = styleOf(c);
    const bg = `${s.colour}${HIGHLIGHT_ALPHA}`;
    const stripes = s.striped ? `, repeating-linear-gradient(135deg, transparent 0 5px, ${s.colour}33 5px 8px)` : '';
    rules.push(
      `.${categoryClass(c)} { background: linear-gradient(${bg}, ${bg})${stripes}; text-decoration: underline ${s.underline} ${s.ink}; text-decoration-thickness: 2px; text-underline-offset: 3px; }`,
    );
  }
  return rules.join('\n');
}
