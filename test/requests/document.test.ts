/**
 * One reader for every document (src/requests): the body of POST /v1/clean, a batch line and a
 * labelled document read their shared fields alike, refuse them in the same words, and differ
 * only where their formats do.
 */
import { readDocument, readLabelledDocuments, type ReadDocument } from '../../src/requests';

const TEXT = 'The scraped text of the page.';

function doc(r: ReadDocument) {
  if (!r.ok) throw new Error(`refused: ${r.error.detail}`);
  return r.doc;
}

function refusal(r: ReadDocument) {
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(r.doc)}`);
  return r.error;
}

describe('fields every reader shares', () => {
  it('"url": null is no url, for a request, a line and a labelled document', () => {
    expect(doc(readDocument({ text: TEXT, url: null }, 'request'))).not.toHaveProperty('url');
    expect(doc(readDocument({ text: TEXT, url: null }, 'line'))).not.toHaveProperty('url');
    const labelled = readLabelledDocuments([{ text: TEXT, url: null, gold: TEXT }]);
    expect(labelled.ok && labelled.docs[0]).not.toHaveProperty('url');
    expect(labelled.ok).toBe(true);
  });

  it('a url that is neither a string nor null is refused alike', () => {
    const a = refusal(readDocument({ text: TEXT, url: 5 }, 'request'));
    const b = refusal(readDocument({ text: TEXT, url: 5 }, 'line'));
    expect(a.errors).toEqual([expect.objectContaining({ field: 'url', message: 'must be a string or null' })]);
    expect(b.errors).toEqual(a.errors);
  });

  it('keeps the language of a tag, dropping its region: "pt-BR" is pt everywhere', () => {
    expect(doc(readDocument({ text: TEXT, lang: 'pt-BR' }, 'request')).lang).toBe('pt');
    expect(doc(readDocument({ text: TEXT, lang: 'PT_br' }, 'line')).lang).toBe('pt');
    const labelled = readLabelledDocuments([{ text: TEXT, lang: 'pt-BR', gold: TEXT }]);
    expect(labelled.ok && labelled.docs[0].lang).toBe('pt');
  });

  it.each([
    [{ text: TEXT, lang: 'english!' }, 'lang', 'must be an ISO 639-1 code such as "en"'],
    [{ text: 5 }, 'text', 'must be a string'],
    [{ html: ['<p>'] }, 'html', 'must be a string'],
    [{ text: TEXT, options: { offsets: 'bytes' } }, 'options/offsets', 'must be one of utf16, codepoint'],
    [{ text: TEXT, options: { format: 'xml' } }, 'options/format', 'must be one of text, html'],
    [{ text: TEXT, ruleset: ['default'] }, 'ruleset', 'must be a rule-set id (string) or a whole rule set (object)'],
    [{ text: TEXT, ruleset: 'Not An Id' }, 'ruleset', 'must match pattern'],
  ])('refuses %j in the same words for a request and a line', (value, field, message) => {
    const request = refusal(readDocument(value, 'request'));
    const line = refusal(readDocument(value, 'line'));
    expect(request).toMatchObject({ code: 'invalid-request', errors: [expect.objectContaining({ field, message: expect.stringContaining(message) })] });
    expect(line.detail).toBe(request.detail);
    expect(request.detail).toContain(`field "${field}" ${message}`);
  });

  it('refuses a labelled document by the same words, named by its index', () => {
    const r = readLabelledDocuments([
      { text: TEXT, gold: TEXT },
      { text: TEXT, lang: 'english!', gold: TEXT },
    ]);
    expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'documents/1/lang', message: 'must be an ISO 639-1 code such as "en"' })] });
  });
});

describe('where a request and a line differ', () => {
  it('a request has exactly one of text and html; a line may have both', () => {
    expect(refusal(readDocument({ text: TEXT, html: '<p>x</p>' }, 'request')).errors).toEqual([expect.objectContaining({ field: 'html' })]);
    expect(doc(readDocument({ text: TEXT, html: '<p>x</p>' }, 'line'))).toMatchObject({ kind: 'text', text: TEXT });
    expect(doc(readDocument({ text: TEXT, html: '<p>x</p>' }, 'line', 'html'))).toMatchObject({ kind: 'html', text: '<p>x</p>' });
  });

  it('a request knows its fields; a line ignores what it does not know (labelled sets carry gold)', () => {
    expect(refusal(readDocument({ text: TEXT, gold: TEXT }, 'request')).errors).toEqual([
      expect.objectContaining({ field: 'gold', message: 'is not a known field' }),
    ]);
    expect(doc(readDocument({ text: TEXT, gold: TEXT }, 'line'))).toEqual({ id: null, kind: 'text', text: TEXT });
  });

  it("a line's id may be a number, and is echoed with its errors unless it is the id that is wrong", () => {
    expect(doc(readDocument({ id: 7, text: TEXT }, 'line')).id).toBe(7);
    expect(refusal(readDocument({ id: 7, text: TEXT }, 'request')).errors).toEqual([expect.objectContaining({ field: 'id' })]);
    expect(readDocument({ id: 'a', text: 5 }, 'line')).toMatchObject({ ok: false, id: 'a' });
    expect(readDocument({ id: 'x'.repeat(1025), text: TEXT }, 'line')).toMatchObject({
      ok: false,
      id: null,
      error: { detail: 'field "id" must be at most 1024 characters long' },
    });
  });

  it('anything but an object is refused, in the words of its format', () => {
    expect(refusal(readDocument([{ text: TEXT }], 'request')).detail).toBe('the JSON body must be an object such as {"text": "..."}');
    expect(refusal(readDocument('text', 'line')).detail).toBe('must be a JSON object such as {"id": "a", "text": "..."}');
  });
});
