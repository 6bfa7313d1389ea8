/** The document context of an HTML page: the text engine's view plus the page's blocks and elements. */
import { DocContext } from '../context';
import type { Block } from '../segment';
import type { ExtractedPage } from './blocks';

export class HtmlDocContext extends DocContext {
  constructor(
    readonly page: ExtractedPage,
    readonly html: string,
    lang?: string,
  ) {
    super(page.input, page.blocks as Block[], lang);
  }

  /**
   * A page's blocks are its elements, one a line: a line break between them is an element
   * boundary, never a sentence wrapped by a scraper, so no line counts as wrapped prose.
   */
  override get wrappedProse(): Uint8Array {
    return (this._noneWrapped ??= new Uint8Array(this.blocks.length));
  }
  private _noneWrapped: Uint8Array | undefined;
}

export function isHtmlDoc(doc: DocContext): doc is HtmlDocContext {
  return doc instanceof HtmlDocContext;
}
