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
}

export function isHtmlDoc(doc: DocContext): doc is HtmlDocContext {
  return doc instanceof HtmlDocContext;
}
