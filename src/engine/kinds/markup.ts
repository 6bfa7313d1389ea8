/**
 * kind: markup. HTML that a scraper left in the text (`<div class="x">`, `</span>`, a whole
 * `<table>`, `<script>…</script>`, `<!-- … -->`), found by an HTML tokenizer rather than by a
 * regular expression: the tokenizer knows where a tag really ends (quoted `>` in attributes,
 * raw-text elements whose content is code), the same way the HTML input path reads pages.
 *
 * Only the markup goes; the words between tags stay (a table's cell text is article text more
 * often than not). A tag counts only when it looks like one a page would contain: a known HTML
 * element or a custom element (`<amp-img>`), and attributes that are real attributes. Prose such
 * as "if x <b then" or "Press <Enter>" stays.
 */
import { Type } from '../typebox';
import type { QuoteType as QuoteTypes, Tokenizer as HtmlTokenizer } from 'htmlparser2';
import type { CompiledRule, InlinePush, RuleDefBase, RuleKind } from '../rule';
import type { Block } from '../segment';
import { isLineBreak, isWhitespace } from '../text';

interface MarkupDef extends RuleDefBase {
  /** Elements removed together with their content (script, style…). */
  dropContent?: string[];
}

/** The elements of HTML (living standard plus the obsolete ones old pages still use). */
const HTML_ELEMENTS = new Set(
  (
    'a abbr acronym address area article aside audio b base basefont bdi bdo big blink blockquote body br button canvas ' +
    'caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset ' +
    'figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ' +
    'ins kbd label legend li link main map mark marquee menu meta meter nav nobr noembed noframes noscript object ol ' +
    'optgroup option output p param picture plaintext pre progress q rp rt ruby s samp script search section select ' +
    'slot small source span strike strong style sub summary sup table tbody td template textarea tfoot th thead time ' +
    'title tr track tt u ul var video wbr svg path g circle rect line polygon polyline defs use symbol math'
  ).split(' '),
);

/** Attributes that may stand without a value; any other attribute must have "=". */
const BOOLEAN_ATTRIBUTES = new Set(
  (
    'allowfullscreen async autofocus autoplay checked controls default defer disabled formnovalidate hidden inert ' +
    'ismap itemscope loop multiple muted nomodule novalidate open playsinline readonly required reversed selected ' +
    'nowrap noshade compact'
  ).split(' '),
);

const ATTRIBUTE_NAME = /^[a-z_:@][\w:.@-]*$/i;
/** A custom element's name: a letter first and a hyphen somewhere (the HTML rule for them). */
const CUSTOM_ELEMENT = /^[a-z][a-z0-9]*-[a-z0-9-]*$/;
/** Cheap prefilter: something that can open a tag, a closing tag, a comment or a doctype. */
const MAY_HOLD_MARKUP = /<[a-z!/?]/i;
/** More attributes than this is not a tag but prose that happens to sit between < and >. */
const MAX_ATTRIBUTES = 40;

const DEFAULT_DROP_CONTENT = ['script', 'style', 'template', 'noscript'];

function isElementName(name: string): boolean {
  return HTML_ELEMENTS.has(name) || CUSTOM_ELEMENT.test(name);
}

/** Pushes [start, end) line by line, trimmed: inline spans never cross a line. */
function pushByLine(input: string, start: number, end: number, reason: string, push: InlinePush): void {
  if (start < 0 || end > input.length || end <= start) return; // not where the tokenizer said: leave it
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i === end || isLineBreak(input.charCodeAt(i))) {
      let a = from,
        b = i;
      while (a < b && isWhitespace(input.charCodeAt(a))) a++;
      while (b > a && isWhitespace(input.charCodeAt(b - 1))) b--;
      if (b > a) push(a, b, reason);
      from = i + 1;
    }
  }
}

let tokenizerModule: { QuoteType: typeof QuoteTypes; Tokenizer: typeof HtmlTokenizer } | undefined;
/** htmlparser2, loaded when a text first holds something like a tag: most texts never do, and it was a tenth of what `declutter clean` loaded. */
function htmlparser2(): NonNullable<typeof tokenizerModule> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (tokenizerModule ??= require('htmlparser2') as typeof import('htmlparser2'));
}

/** Where the ">" closing a tag is, from `at` on; the end of the text when there is none. */
function tagEnd(text: string, at: number): number {
  const gt = text.indexOf('>', at);
  return gt < 0 ? text.length : gt + 1;
}

/**
 * Runs HTML's tokenizer over `text` and pushes the markup it finds. The tokenizer reports raw
 * tokens (a closing tag without its opening one is still a closing tag) with their offsets, and
 * treats script and style content as raw text, as a browser would.
 */
function findMarkup(text: string, dropContent: ReadonlySet<string>, push: InlinePush): void {
  const { QuoteType, Tokenizer } = htmlparser2();
  // The start tag being read: where it began, its name, and whether its attributes look real.
  let tagStart = -1,
    tagName = '',
    attributes = 0,
    plausible = true,
    attributeName = '';
  // Elements whose content goes too, waiting for their end tag: where the start tag began.
  const open: { name: string; start: number }[] = [];
  const finishStartTag = (endIndex: number) => {
    const end = endIndex + 1;
    if (tagStart >= 0 && plausible && isElementName(tagName)) {
      if (dropContent.has(tagName)) open.push({ name: tagName, start: tagStart });
      else pushByLine(text, tagStart, end, `an HTML <${tagName}> tag left in the text`, push);
    }
    tagStart = -1;
  };
  const ignore = () => {};
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: false },
    {
      onopentagname(start, endIndex) {
        tagStart = start - 1;
        tagName = text.slice(start, endIndex).toLowerCase();
        attributes = 0;
        plausible = true;
      },
      onattribname(start, endIndex) {
        attributeName = text.slice(start, endIndex).toLowerCase();
        if (++attributes > MAX_ATTRIBUTES || !ATTRIBUTE_NAME.test(attributeName)) plausible = false;
      },
      onattribend(quote) {
        // A bare word between < and > is prose unless HTML defines it as a boolean attribute.
        if (quote === QuoteType.NoValue && !BOOLEAN_ATTRIBUTES.has(attributeName)) plausible = false;
      },
      onopentagend: finishStartTag,
      onselfclosingtag: finishStartTag,
      onclosetag(start, endIndex) {
        const name = text.slice(start, endIndex).toLowerCase();
        if (!isElementName(name)) return;
        const end = tagEnd(text, endIndex);
        // "</b then, much later, >" is prose: an end tag has nothing but spaces before its ">".
        if (text.charCodeAt(end - 1) !== 0x3e) return;
        for (let i = endIndex; i < end - 1; i++) if (!isWhitespace(text.charCodeAt(i))) return;
        let at = open.length - 1;
        while (at >= 0 && open[at].name !== name) at--;
        if (at >= 0) {
          const o = open[at];
          open.length = at;
          pushByLine(text, o.start, end, `a <${name}> element and its content (code, not article text)`, push);
        } else {
          pushByLine(text, start - 2, end, `an HTML </${name}> tag left in the text`, push);
        }
      },
      oncomment(start, endIndex) {
        // Only a real, closed comment: "</-->"-style bogus comments and an unclosed "<!--" are text.
        if (start < 4 || text.charCodeAt(endIndex) !== 0x3e || !text.startsWith('<!--', start - 4)) return;
        pushByLine(text, start - 4, endIndex + 1, 'an HTML comment left in the text', push);
      },
      ondeclaration(start, endIndex) {
        if (start < 2 || text.charCodeAt(endIndex) !== 0x3e || !/^doctype\b/i.test(text.slice(start, start + 8))) return;
        pushByLine(text, start - 2, endIndex + 1, 'an HTML doctype left in the text', push);
      },
      onattribdata: ignore,
      onattribentity: ignore,
      oncdata: ignore,
      onend: ignore,
      onprocessinginstruction: ignore,
      ontext: ignore,
      ontextentity: ignore,
    },
  );
  tokenizer.write(text);
  tokenizer.end();
  // A script or style that never closes: only its start tag is known to be markup.
  for (const o of open) pushByLine(text, o.start, tagEnd(text, o.start), `an HTML <${o.name}> tag left in the text`, push);
}

export const markupKind: RuleKind = {
  kind: 'markup',
  summary: 'HTML tags, comments and script/style elements left in the text, found by an HTML tokenizer; only the markup goes.',
  get properties() {
    return {
      dropContent: Type.Optional(
        Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]*$' }), {
          description: `Elements removed with everything inside them; default ${DEFAULT_DROP_CONTENT.join(', ')}.`,
        }),
      ),
    };
  },
  required: [],
  compile(raw): CompiledRule {
    const def = raw as MarkupDef;
    const dropContent = new Set(def.dropContent ?? DEFAULT_DROP_CONTENT);
    return {
      def,
      id: def.id,
      category: def.category,
      stage: 'inline',
      inline(input, push) {
        if (!MAY_HOLD_MARKUP.test(input)) return;
        findMarkup(input, dropContent, push);
      },
      inlineBlock(block: Block, push: InlinePush) {
        // Spans are cut at line ends already; a block is one line, so this only re-reads it alone.
        findMarkup(block.text, dropContent, (s, e, r) => push(block.start + s, block.start + e, r));
      },
    };
  },
};
