/**
 * htmlparser2's Parser, with its stack of open elements kept in time linear in nesting depth.
 *
 * htmlparser2 10.1 keeps that stack innermost-first and maintains it with `unshift` and `shift`,
 * which move every entry: a page of n nested elements costs n² (50,000 nested <div>s: seconds of
 * CPU, 200,000: minutes). Upstream has the fix open as a pull request (fb55/htmlparser2#2481,
 * push/pop), not released. Until it is, the parser is given a stack object that answers the few
 * array operations the Parser uses on it (`[0]`, `length`, `shift`, `unshift`, `indexOf`) while
 * storing the entries outermost-first, so each is O(1); `indexOf` of a name that is not open (a
 * stray end tag) is answered from a count of open names instead of a scan of the whole stack.
 * The Parser's own code runs unchanged, so the tree and every source offset are the same.
 *
 * The Parser is also given a tokenizer that skips runs of plain characters at once (see
 * `SkippingTokenizer`): the same tokens at the same offsets, a third less time to parse a page.
 *
 * The stack and the tokenizer's states are private fields, so a new htmlparser2 could use them
 * otherwise. Before the first page, a probe page is parsed both ways; if the trees differ, pages
 * are parsed by the plain parser (the same results, only slower and quadratic in depth again).
 */
import { DomHandler, Parser, parseDocument, Tokenizer, type Options, type TokenizerCallbacks } from 'htmlparser2';
import { Element, Text, type AnyNode, type Document } from 'domhandler';

/** A stack read top-first through the Array methods the Parser calls, stored bottom-first. */
class TopFirstStack<T> {
  private readonly items: T[] = [];
  private readonly open = new Map<T, number>();

  constructor(initial: readonly T[] = []) {
    for (let i = initial.length - 1; i >= 0; i--) this.unshift(initial[i]);
  }

  /** The innermost entry (the Parser reads `stack[0]`). */
  get 0(): T | undefined {
    return this.items[this.items.length - 1];
  }

  get length(): number {
    return this.items.length;
  }

  /** As on an array: keeps the first (innermost) `n` entries. The Parser only ever sets 0. */
  set length(n: number) {
    while (this.items.length > n) this.shift();
  }

  unshift(item: T): number {
    this.items.push(item);
    this.open.set(item, (this.open.get(item) ?? 0) + 1);
    return this.items.length;
  }

  shift(): T | undefined {
    if (this.items.length === 0) return undefined;
    const item = this.items.pop()!;
    const n = this.open.get(item)! - 1;
    if (n === 0) this.open.delete(item);
    else this.open.set(item, n);
    return item;
  }

  /** Distance from the innermost entry, as an innermost-first array would answer. */
  indexOf(item: T): number {
    if (!this.open.has(item)) return -1;
    return this.items.length - 1 - this.items.lastIndexOf(item);
  }

  /** Innermost first, as the Parser's array would be. */
  toArray(): T[] {
    return this.items.slice().reverse();
  }
}

/** The Tokenizer as `SkippingTokenizer` sees it: its private position and the states it overrides. */
interface TokenizerInternals {
  buffer: string;
  index: number;
  offset: number;
  decodeEntities: boolean;
  fastForwardTo(c: number): boolean;
  stateText(c: number): void;
  stateInAttributeValueDoubleQuotes(c: number): void;
  stateInAttributeValueSingleQuotes(c: number): void;
}

const BaseTokenizer = Tokenizer as unknown as new (options: { xmlMode?: boolean; decodeEntities?: boolean }, cbs: TokenizerCallbacks) => TokenizerInternals;

const LT = 0x3c;
const AMP = 0x26;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/**
 * htmlparser2's Tokenizer calls a state function for every character of the page, also inside
 * text, attribute values, scripts and comments, where a state only waits for one or two
 * characters. Here those waits skip ahead in one loop (or `indexOf`) to the character that ends
 * them and hand it to the Tokenizer's own state, so every callback comes at the same offset with
 * the same text. Parsing the aeb-dev and readability-dev pages: 1.86 -> 1.33 CPU-ms a page.
 */
class SkippingTokenizer extends BaseTokenizer {
  /** As the Tokenizer's own: moves to the next `c` (true), or to the last character (false). */
  override fastForwardTo(c: number): boolean {
    const at = this.buffer.indexOf(String.fromCharCode(c), this.index - this.offset + 1);
    if (at >= 0) {
      this.index = at + this.offset;
      return true;
    }
    this.index = this.buffer.length + this.offset - 1;
    return false;
  }

  /** Text waits for "<" (a tag) or "&" (an entity, decoded). */
  override stateText(c: number): void {
    if (c !== LT && c !== AMP && this.decodeEntities) this.skipUntil(LT, AMP);
    else super.stateText(c);
  }

  /** A quoted attribute value waits for its quote or "&". */
  override stateInAttributeValueDoubleQuotes(c: number): void {
    if (c !== DOUBLE_QUOTE && c !== AMP && this.decodeEntities) this.skipUntil(DOUBLE_QUOTE, AMP);
    else super.stateInAttributeValueDoubleQuotes(c);
  }

  override stateInAttributeValueSingleQuotes(c: number): void {
    if (c !== SINGLE_QUOTE && c !== AMP && this.decodeEntities) this.skipUntil(SINGLE_QUOTE, AMP);
    else super.stateInAttributeValueSingleQuotes(c);
  }

  /** Leaves `index` before the next `a` or `b` (or on the last character): the parse loop steps onto it. */
  private skipUntil(a: number, b: number): void {
    const buffer = this.buffer;
    const n = buffer.length;
    let i = this.index - this.offset + 1;
    while (i < n) {
      const d = buffer.charCodeAt(i);
      if (d === a || d === b) break;
      i++;
    }
    this.index = i - 1 + this.offset;
  }
}

/** The Parser as this module sees it: its two private stacks, and what is called on it. */
interface ParserStacks {
  end(html: string): void;
  stack: TopFirstStack<string> | string[];
  foreignContext: TopFirstStack<boolean> | boolean[];
  onend(): void;
  reset(): void;
}

const BaseParser = Parser as unknown as new (cbs: ConstructorParameters<typeof Parser>[0], options?: Options) => ParserStacks;

class LinearParser extends BaseParser {
  constructor(cbs: ConstructorParameters<typeof Parser>[0], options: Options) {
    super(cbs, options);
    this.useLinearStacks();
  }

  private useLinearStacks(): void {
    this.stack = new TopFirstStack(this.stack as string[]);
    this.foreignContext = new TopFirstStack(this.foreignContext as boolean[]);
  }

  /** The Parser closes what is still open by index, innermost first: hand it an array for that. */
  override onend(): void {
    if (this.stack instanceof TopFirstStack) this.stack = this.stack.toArray();
    super.onend();
  }

  override reset(): void {
    super.reset();
    this.useLinearStacks();
  }
}

/**
 * Elements and text nodes with the walk's marks (blocks.ts, `Marks`) declared from the start, as
 * undefined: added later, one element at a time, each element got a new property store and the
 * elements of a page came in several shapes, which every later reader of the marks paid for.
 * With the table list of the walk (tables.ts), cleanHtml on the dev pages: 1.056× the MB per
 * CPU-second (bench/compare-builds.js, html, 3 rounds: 1.006 to 1.071).
 */
class MarkedElement extends Element {
  dcFirst: number | undefined = undefined;
  dcLast: number | undefined = undefined;
  dcChars: number | undefined = undefined;
  dcLinks: number | undefined = undefined;
  dcOwn: number | undefined = undefined;
}

class MarkedText extends Text {
  dcBlock: number | undefined = undefined;
}

/**
 * An empty array to copy (`NO_NODES.slice()`) for each element's children. domhandler's default,
 * an `[]` literal, is an allocation site V8 learns to pretenure: children arrays live as long as
 * their page, so V8 soon allocates them straight in the old generation. The nodes pushed into
 * them are young, and a dead old array keeps its young nodes (and through them the rest of the
 * page's tree) alive at every scavenge until the next full collection: each page's DOM was copied
 * and promoted, and the collector took a quarter of the HTML engine's time. A copy made by
 * `slice` has no allocation site, so the arrays stay young with their nodes and die with them.
 */
const NO_NODES: AnyNode[] = [];

/** DomHandler's own `onopentag` and `ontext`, making the marked nodes (HTML mode only). */
class MarkedHandler extends DomHandler {
  override onopentag(name: string, attribs: { [name: string]: string }): void {
    const element = new MarkedElement(name, attribs, NO_NODES.slice());
    this.addNode(element);
    this.tagStack.push(element);
  }

  override ontext(data: string): void {
    if (this.lastNode && this.lastNode.type === 'text') super.ontext(data);
    else {
      const node = new MarkedText(data);
      this.addNode(node);
      this.lastNode = node;
    }
  }
}

function parseLinear(html: string, options: Options): Document {
  const handler = options.xmlMode ? new DomHandler(undefined, options) : new MarkedHandler(undefined, options);
  new LinearParser(handler, { ...options, Tokenizer: SkippingTokenizer as unknown as typeof Tokenizer }).end(html);
  return handler.root;
}

/** Nesting, implied ends, stray end tags, void and foreign elements, entities, scripts, and elements left open. */
const PROBE =
  '<html><head><title>t</title></head><body><div><p>a<p>b</div></span><ul><li>1<li>2</ul>' +
  '<svg><path/><foreignObject><p>c</p></foreignObject></svg><table><tr><td>x<td>y</table><br></br><p></p>' +
  '<a href="?a=1&amp;b=2" title=\'it&#39;s\' data-x=y&lt;z>t &amp; u &notanentity; v</a><!-- a < b --><script>if (a<b && c) {}</script>' +
  '<style>p>a{}</style><div><b>open';

function shape(node: AnyNode): string {
  const text = `${'attribs' in node ? JSON.stringify(node.attribs) : ''}${'data' in node ? JSON.stringify(node.data) : ''}`;
  const own = `${node.type}:${'name' in node ? node.name : ''}${text}:${node.startIndex}-${node.endIndex}`;
  return 'children' in node ? `${own}(${node.children.map(shape).join(',')})` : own;
}

let linearWorks: boolean | undefined;

/** Whether this htmlparser2 still uses its stack as the linear stack expects (checked once). */
export function linearParserWorks(): boolean {
  if (linearWorks === undefined) {
    const options = { withStartIndices: true, withEndIndices: true };
    try {
      linearWorks = shape(parseLinear(PROBE, options)) === shape(parseDocument(PROBE, options));
    } catch {
      linearWorks = false;
    }
  }
  return linearWorks;
}

/** `parseDocument` of htmlparser2, in time linear in nesting depth (see above). */
export function parseDocumentLinear(html: string, options: Options): Document {
  return linearParserWorks() ? parseLinear(html, options) : parseDocument(html, options);
}
