import { restWords, segment } from '../../src/engine/segment';

describe('segment', () => {
  it('gives every block all its fields from the start, the lazy ones as undefined', () => {
    // One hidden class for all blocks: rules that fill squashed / words / wordsOf in different
    // orders no longer give the blocks of one page different shapes (megamorphic reads).
    const blocks = segment('Home | News\n\nA first paragraph of the article.\nLast line');
    expect(blocks).toHaveLength(3);
    const keys = ['index', 'start', 'end', 'text', 'inline', 'removedBy', 'reason', 'rest', 'squashed', 'words', 'wordsOf'];
    for (const b of blocks) {
      expect(Object.keys(b)).toEqual(keys);
      expect(b.squashed).toBeUndefined();
      expect(b.words).toBeUndefined();
    }
    // The lazy word count still fills in on first use.
    expect(restWords(blocks[1])).toBe(6);
    expect(Object.keys(blocks[1])).toEqual(keys);
  });
});
