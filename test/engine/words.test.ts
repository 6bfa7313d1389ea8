/** Words of scripts written without spaces, and bidi controls (engine/words.ts, engine/text.ts). */
import { hasUnspacedScript, segmentWords, stripBidi, weightedLength, wordSegmentsOf, WordSegments } from '../../src/engine/words';
import { countWords } from '../../src/engine/text';
import { DocContext } from '../../src/engine/context';
import { restWords, segment } from '../../src/engine/segment';

describe('segmentWords', () => {
  test('Chinese, Japanese and Thai sentences in words', () => {
    expect(segmentWords('市议会将于下周就新预算进行投票。')).toEqual(['市', '议会', '将', '于', '下周', '就', '新', '预算', '进行', '投票']);
    expect(segmentWords('リンゴのほとんどは雨が降る前に収穫された。')).toContain('収穫');
    expect(segmentWords('สภาเมืองจะลงมติเรื่องงบประมาณใหม่ในสัปดาห์หน้า')).toEqual([
      'สภา',
      'เมือง',
      'จะ',
      'ลง',
      'มติ',
      'เรื่อง',
      'งบ',
      'ประมาณ',
      'ใหม่',
      'ใน',
      'สัปดาห์',
      'หน้า',
    ]);
  });
  test('bidi controls do not end up in words', () => {
    expect(segmentWords('\u2067x\u2069 y')).toEqual(['x', 'y']);
    expect(stripBidi('a\u200eb\u061cc')).toBe('abc');
    const plain = 'no marks here';
    expect(stripBidi(plain)).toBe(plain);
  });
  test("a document's segments give the words a fresh segmentation gives, once a text", () => {
    const line = '市议会将于下周就新预算进行投票。';
    const fresh = [...segmentWords(line)];
    const segments = new WordSegments();
    const first = segmentWords(line, segments);
    expect(first).toEqual(fresh);
    // The same text made anew (another string of the same characters) is found, not segmented again.
    expect(segmentWords(line.split('').join(''), segments)).toBe(first);
    expect(wordSegmentsOf(line, segments).starts).toEqual([0, 1, 3, 4, 5, 7, 8, 9, 11, 13]);
    // Another document's segments are its own.
    expect(segmentWords(line, new WordSegments())).not.toBe(first);
  });
  test("a line's lower-cased words come from its own segments and are the segmenter's", () => {
    const segments = new WordSegments();
    for (const line of ['Reuters报道 NASA的新火箭', 'ΟΔΟΣ東京タワー', 'iPhone 15 Pro発売へ']) {
      segments.of(line);
      const lower = line.toLowerCase();
      expect(wordSegmentsOf(lower, segments)).toEqual(wordSegmentsOf(lower));
    }
  });
  test('only scripts without spaces take the segmenter', () => {
    expect(hasUnspacedScript('English, Ελληνικά, العربية, עברית')).toBe(false);
    expect(hasUnspacedScript('Reuters报道')).toBe(true);
    expect(hasUnspacedScript('ไทย')).toBe(true);
  });
});

describe('countWords', () => {
  test('word counts of zh, ja, ko and th paragraphs are words, not characters nor one token', () => {
    expect(countWords('因为公共汽车又晚点了，她只好走路去车站。')).toBe(segmentWords('因为公共汽车又晚点了，她只好走路去车站。').length);
    expect(countWords('因为公共汽车又晚点了，她只好走路去车站。')).toBeGreaterThan(6);
    expect(countWords('因为公共汽车又晚点了，她只好走路去车站。')).toBeLessThan(17);
    expect(countWords('夕食に何が食べたいか、彼らに聞いておくべきだった。')).toBeGreaterThan(8);
    expect(countWords('เราน่าจะถามพวกเขาว่าอยากกินอะไรเป็นมื้อเย็น')).toBeGreaterThan(8);
    expect(countWords('The council met twice.')).toBe(4);
    // Korean is spaced: its words are the spaced ones, not its syllables.
    expect(countWords('시의회는 다음 주에 새 예산안을 표결한다.')).toBe(6);
  });
  test('a bidi mark alone is no word', () => {
    expect(countWords('مرحبا \u200f عالم')).toBe(2);
    expect(countWords('\u202b\u202c')).toBe(0);
  });
});

describe('topic vocabulary', () => {
  test('a Chinese page has content words, not whole clauses', () => {
    const p1 = '市议会将于下周就新预算进行投票，议员们认为新预算可以改善城市交通和公共服务的质量。';
    const p2 = '市民代表表示支持新预算，但希望议会在投票之前公开更多关于公共交通投资的细节和时间表。';
    const doc = new DocContext(`${p1}\n\n${p2}`, segment(`${p1}\n\n${p2}`), 'zh');
    const words = [...doc.topic.keys()];
    // Four-character words (context.ts MIN_TOPIC_WORD) such as 公共服务 are topic words; a clause is not one word.
    expect(words.every((w) => w.length <= 6)).toBe(true);
  });
  test('a Hindi word keeps its vowel signs, so a headline shares the words of its article', () => {
    const p1 = 'नदी पर बना नया पुल अगले महीने से आम लोगों के लिए खुल जाएगा। इस पुल के बनने से दोनों किनारों के गांवों के बीच की दूरी लगभग चालीस किलोमीटर कम हो जाएगी।';
    const p2 = 'स्थानीय किसानों का कहना है कि पुल खुलने के बाद वे अपनी फसल सीधे शहर की मंडी तक ले जा सकेंगे। अभी उन्हें नदी पार करने के लिए नाव का सहारा लेना पड़ता है।';
    const text = `${p1}\n\n${p2}`;
    const doc = new DocContext(text, segment(text), 'hi');
    expect(doc.topic.has('किसानों')).toBe(true);
    expect(doc.topicOverlap('नदी पर बना नया पुल अगले महीने से खुलेगा')).toBeGreaterThan(0.3);
  });
});

describe('CJK lengths and topic words', () => {
  test('a CJK character weighs three characters, other scripts one', () => {
    expect(weightedLength('新竹名產')).toBe(12);
    expect(weightedLength('Tokyo 東京')).toBe(12);
    expect(weightedLength('สวัสดี')).toBe(6);
  });
  test('two-character Chinese words are topic words; a lone character is not', () => {
    const p1 = '市议会将于下周就新预算进行投票，议员们认为新预算可以改善城市交通和公共服务的质量。';
    const p2 = '市民代表表示支持新预算，但希望议会在投票之前公开更多关于公共交通投资的细节和时间表。';
    const doc = new DocContext(`${p1}\n\n${p2}`, segment(`${p1}\n\n${p2}`), 'zh');
    expect(doc.topic.has('预算')).toBe(true);
    expect(doc.topic.has('市')).toBe(false);
    expect(doc.topicOverlap('议会下周投票')).toBeGreaterThan(0.5);
    expect(doc.topicOverlap('足球比赛门票')).toBe(0);
  });
});

describe('topic vocabulary read in one pass', () => {
  // context.ts countAndScan: an ASCII block nobody has counted yet is counted and read in one
  // pass; the same document with its words counted first (restWords) takes the two passes.
  const prose = 'Council members voted on the bridge repair budget after a long debate about traffic, tolls and the river crossing.';
  const input = [
    'Home | News | Sport',
    `${prose} “Quoted” words—dashes, no\u00a0break spaces and tabs\tcount as countWords counts them.`,
    'The bridge budget passed.',
    `Another paragraph on the bridge repair: traffic will use the river crossing while workers mend the bridge deck and budget, and the council will meet again next month to decide on the rest.`,
    'Café menu: résumé of naïve bridge words with accents.',
  ].join('\n\n');
  test('gives the same word counts and vocabulary as the two passes', () => {
    const fresh = new DocContext(input, segment(input), 'en');
    const counted = new DocContext(input, segment(input), 'en');
    const before = counted.blocks.map((b) => restWords(b));
    expect(fresh.blocks.every((b) => b.words === undefined)).toBe(true);
    expect([...fresh.topic.keys()]).toEqual([...counted.topic.keys()]);
    expect(fresh.blocks.map((b) => b.words)).toEqual(before);
    expect(before.map((n, i) => n === countWords(fresh.blocks[i].rest))).toEqual(before.map(() => true));
    expect(fresh.topic.has('bridge')).toBe(true);
    expect(fresh.topic.count[fresh.topic.table.idOf('bridge')]).toBe(2);
    expect(fresh.topicOverlap('bridge repair budget', fresh.blocks[2])).toBe(counted.topicOverlap('bridge repair budget', counted.blocks[2]));
  });
});
