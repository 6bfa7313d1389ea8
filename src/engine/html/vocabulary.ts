/**
 * What the page's markup says about a piece of text, as bits: the semantic element it sits in
 * (nav, footer, article...), and what the authors named its containers (class and id words
 * grouped by concept, in the manner of Readability's and trafilatura's lists). The scorer learns
 * how much each bit weighs; nothing here removes anything by itself.
 */

// Elements and ARIA roles (bits 0-13).
export const IN_NAV = 1 << 0;
export const IN_HEADER = 1 << 1;
export const IN_FOOTER = 1 << 2;
export const IN_ASIDE = 1 << 3;
export const IN_FORM = 1 << 4;
export const IN_ARTICLE = 1 << 5;
export const IN_MAIN = 1 << 6;
export const IN_LIST = 1 << 7;
export const IN_TABLE = 1 << 8;
export const IN_HEADING = 1 << 9;
export const IN_PRE = 1 << 10;
export const IN_QUOTE = 1 << 11;
export const IN_FIGURE = 1 << 12;
export const IN_LINK = 1 << 13;
// Class and id concepts (bits 14-27).
export const NAMED_NAV = 1 << 14;
export const NAMED_FOOTER = 1 << 15;
export const NAMED_SIDEBAR = 1 << 16;
export const NAMED_COMMENT = 1 << 17;
export const NAMED_RELATED = 1 << 18;
export const NAMED_SHARE = 1 << 19;
export const NAMED_AD = 1 << 20;
export const NAMED_LEGAL = 1 << 21;
export const NAMED_SUBSCRIBE = 1 << 22;
export const NAMED_BYLINE = 1 << 23;
export const NAMED_CONTENT = 1 << 24;
export const NAMED_HEADER = 1 << 25;
export const NAMED_HIDDEN = 1 << 26;
export const NAMED_CAPTION = 1 << 27;
/** Every class and id concept. */
export const NAMED_ALL = ((1 << 28) - 1) & ~((1 << 14) - 1);

/** Bits an element gives its descendants by its tag alone. */
export const TAG_BITS: Readonly<Record<string, number>> = {
  nav: IN_NAV,
  header: IN_HEADER,
  footer: IN_FOOTER,
  aside: IN_ASIDE,
  form: IN_FORM,
  article: IN_ARTICLE,
  main: IN_MAIN,
  ul: IN_LIST,
  ol: IN_LIST,
  dl: IN_LIST,
  li: IN_LIST,
  menu: IN_LIST,
  table: IN_TABLE,
  td: IN_TABLE,
  th: IN_TABLE,
  h1: IN_HEADING,
  h2: IN_HEADING,
  h3: IN_HEADING,
  h4: IN_HEADING,
  h5: IN_HEADING,
  h6: IN_HEADING,
  pre: IN_PRE,
  blockquote: IN_QUOTE,
  figure: IN_FIGURE,
  figcaption: IN_FIGURE,
  a: IN_LINK,
};

/** ARIA landmark roles mean what the matching element means. */
export const ROLE_BITS: Readonly<Record<string, number>> = {
  navigation: IN_NAV,
  banner: IN_HEADER,
  contentinfo: IN_FOOTER,
  complementary: IN_ASIDE,
  form: IN_FORM,
  search: IN_FORM,
  article: IN_ARTICLE,
  main: IN_MAIN,
  menu: IN_NAV,
  menubar: IN_NAV,
};

/**
 * Class and id words by concept. A word counts when it starts a name part: names are split on
 * spaces, "-" and "_" (and BEM's "__"), so "post-comments" has "comments" but "recommended" does
 * not hold "comment" and "header" is not "head". Words are prefixes where sites add endings
 * ("comments", "commentlist", "sidebar-right"), whole words where a prefix would catch prose
 * names ("ad" but not "address", "meta" but not "metadata").
 */
const CONCEPTS: [number, RegExp][] = [
  // Site menus and ways around the site.
  [NAMED_NAV, /(?:^|[\s_-])(?:nav|menu|breadcrumb|pagination|pager|topbar|toolbar|skip-?link|tabs\b|site-?links|quick-?links|jump)/],
  // The page's foot: copyright, legal links, site map.
  [NAMED_FOOTER, /(?:^|[\s_-])(?:footer|foot\b|bottom\b|copyright|colophon|sitemap)/],
  // Columns beside the article.
  [NAMED_SIDEBAR, /(?:^|[\s_-])(?:sidebar|side-?bar|aside|rail|widget|secondary\b|complementary)/],
  // Reader comments and the prompts around them.
  [NAMED_COMMENT, /(?:^|[\s_-])(?:comment|disqus|discussion|replies\b|reply\b|respond\b|remark)/],
  // Other stories: teasers, recommendations, "more from".
  [
    NAMED_RELATED,
    /(?:^|[\s_-])(?:related|recommend|more-?(?:stories|articles|news|from)|read-?more|also\b|outbrain|taboola|trending|popular|teaser|most-?read|latest\b|recirc)/,
  ],
  // Share and follow buttons.
  [NAMED_SHARE, /(?:^|[\s_-])(?:share|sharing|social|follow\b|tweet|facebook|twitter)/],
  // Advertising and promotion.
  [NAMED_AD, /(?:^|[\s_-])(?:ads?\b|advert|sponsor|promo|banner|dfp\b|gpt\b|doubleclick|affiliate|commercial)/],
  // Cookie consent and legal notices.
  [NAMED_LEGAL, /(?:^|[\s_-])(?:cookie|consent|gdpr|privacy|disclaimer|legal\b|terms\b)/],
  // Newsletter, subscription and paywall prompts.
  [NAMED_SUBSCRIBE, /(?:^|[\s_-])(?:newsletter|subscri|signup|sign-up|paywall|login|register|modal|popup|overlay)/],
  // Bylines, author boxes and article metadata.
  [NAMED_BYLINE, /(?:^|[\s_-])(?:byline|author|meta\b|dateline|timestamp|date\b|published|posted|credit|tags?\b|categor)/],
  // The article itself.
  [NAMED_CONTENT, /(?:^|[\s_-])(?:article|content|entry|post\b|post-?body|story|body|text|main\b|blog|hentry|prose|rich-?text)/],
  // The page's masthead (not the article's own header, which is usually named after the article).
  [NAMED_HEADER, /(?:^|[\s_-])(?:masthead|site-?header|page-?header|global-?header|header\b|top-?nav)/],
  // Visually hidden text that screen readers get ("Advertisement", "Skip to content").
  [NAMED_HIDDEN, /(?:^|[\s_-])(?:sr-only|screen-?reader|visually-?hidden|hidden\b|invisible|offscreen|a11y)/],
  // Captions and credits of images.
  [NAMED_CAPTION, /(?:^|[\s_-])(?:caption|figcaption|photo|image|img\b|gallery|media\b)/],
];

/** The concept bits of an element's class and id (already lower-cased and joined by a space). */
export function namedBits(names: string): number {
  let bits = 0;
  for (const [bit, re] of CONCEPTS) if (re.test(names)) bits |= bit;
  return bits;
}
