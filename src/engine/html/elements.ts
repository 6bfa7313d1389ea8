/**
 * The HTML engine's lists of element names, in one home: how a browser lays an element out, which
 * ones hold no article text, which carry an article's structure, and which the article HTML
 * allows. Each module reads the lists it needs from here. Nothing here loads the HTML parser: the
 * rule kinds that read these lists (subtree, through prune.ts) load for text input too, and
 * `declutter clean` of a text file should not pay for the parser.
 */

/** Section headings, in rank order. */
export const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;
/** Parts of a table between the table and its cells. */
export const TABLE_SECTIONS_AND_ROWS = ['thead', 'tbody', 'tfoot', 'tr'] as const;
/** Lists and their items. */
export const LISTS_AND_ITEMS = ['ul', 'ol', 'dl', 'li', 'dd', 'dt'] as const;

/**
 * Elements whose content is never article text: code, styling, embedded objects, form controls,
 * the head's own elements. The `<head>` itself is walked, not skipped: a browser ends the head at
 * the first element or text that cannot be in it, and htmlparser2 does not, so on a page whose
 * `</head>` and `<body>` are missing (or come after the content) the whole page sits in its head.
 * Skipping the head returned empty text for 53 of the 604 L3S-GN1 pages; its own children
 * (title, meta, link, base, style, script) hold no visible text anyway.
 */
export const SKIPPED: ReadonlySet<string> = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'svg',
  'title',
  'meta',
  'link',
  'iframe',
  'object',
  'embed',
  'canvas',
  'video',
  'audio',
  'map',
  'select',
  'option',
  'textarea',
  'input',
  'button',
  'dialog',
]);

/** Elements a browser lays out as blocks: their edges end the text run around them. */
export const BLOCK_LEVEL: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'frameset',
  ...HEADINGS,
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'noframes',
]);

/**
 * Article HTML: elements copied whole when all their text stays: they carry the article's
 * structure. Other containers (div, section, span...) are opened up instead, so that the sanitiser
 * gets flat markup and no wrapper's hidden or skipped content rides along.
 */
export const STRUCTURE: ReadonlySet<string> = new Set([
  'p',
  ...HEADINGS,
  'ul',
  'ol',
  'dl',
  'table',
  'pre',
  'blockquote',
  'figure',
  'li',
  'dd',
  'dt',
  'figcaption',
  'address',
]);

/**
 * Article HTML: elements that only make sense inside their parent (an item in its list, a caption
 * in its figure): when that parent is opened up because some of its content went, the parent is
 * re-emitted as a bare tag around what stayed, so no item or caption is left outside it.
 */
export const KEEP_WRAPPER: ReadonlySet<string> = new Set([...LISTS_AND_ITEMS, 'figure']);

/** Article HTML: table parts re-emitted bare around the cells that stayed. */
export const TABLE_SECTIONS: ReadonlySet<string> = new Set(TABLE_SECTIONS_AND_ROWS);

/** Block-level elements a data table may contain: its own parts, and paragraphs inside a cell. */
export const TABLE_PARTS: ReadonlySet<string> = new Set(['caption', ...TABLE_SECTIONS_AND_ROWS, 'td', 'th', 'p']);

/** Elements of a structured-data body (JSON-LD articleBody) that end a paragraph. */
export const BODY_BREAKS: ReadonlySet<string> = new Set(['p', 'br', 'div', 'li', ...HEADINGS, 'blockquote', 'tr']);

/** The sanitiser's allowlist: elements an article body is made of. No div/span: they carry no meaning without style or class. */
export const ARTICLE_TAGS: readonly string[] = [
  ...HEADINGS,
  'p',
  'br',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'code',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'caption',
  'figure',
  'figcaption',
  'em',
  'strong',
  'b',
  'i',
  'sub',
  'sup',
  'a',
  'img',
];

/**
 * The sanitiser drops these together with everything inside them: their content is code (script,
 * style), form controls' labels (option, textarea, select, button), fallback for something we do
 * not show (noscript, iframe, object, embed, video, audio, canvas), foreign markup (svg, math), or
 * not the article at all (head, title, template).
 */
export const DROPPED_WITH_CONTENT: readonly string[] = [
  'script',
  'style',
  'xmp',
  'noscript',
  'noembed',
  'noframes',
  'template',
  'head',
  'title',
  'textarea',
  'option',
  'select',
  'button',
  'datalist',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'video',
  'audio',
  'canvas',
  'map',
  'svg',
  'math',
];
