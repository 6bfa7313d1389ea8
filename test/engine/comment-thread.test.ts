/**
 * The comment thread after the article (engine/comment-thread.ts): readers' replies under
 * repeated headers go with the scorer's verdict; quotes, teaser dates and forum posts stay.
 */
import { resolve } from 'node:path';
import fc from 'fast-check';
import { cleanText, compileRuleSet } from '../../src/engine';
import { commentsHeading, findThread, headerPattern } from '../../src/engine/comment-thread';
import { segment } from '../../src/engine/segment';
import { runRules } from '../../src/engine/clean';
import { readRuleSetFile } from '../../src/rulesets/load';

const ruleset = compileRuleSet(readRuleSetFile(resolve(__dirname, '../../rules/default.yaml')));

const ARTICLE = [
  'The city council voted on Tuesday to close the old harbour bridge for repairs after engineers found cracks in two of its pillars, the third closure in ten years.',
  'Council members said the repairs would take at least eighteen months and cost about twelve million euros, most of it from the regional infrastructure fund.',
  'Ferries will carry commuters across the river in the meantime, and the council promised extra sailings in the morning and evening rush hours.',
  'Shop owners on both banks said they feared the closure would keep customers away, as it did the last time the bridge was shut for a whole summer.',
];
// Replies as long and as topical as a paragraph: the scorer keeps some of them (short ones it
// drops itself, with the header lines around them), and the thread is what takes those.
const REPLIES = [
  'About time they fixed the harbour bridge, the cracks in the pillars have been visible from the ferry for years now, and the council did nothing.',
  'Eighteen months seems far too long for two pillars of one bridge, somebody on the council is being paid by the hour for these repairs.',
  'The ferries across the river were always late the last time the bridge was shut, I hope the council hires more crews for the morning sailings.',
  'Does anyone know whether bicycles will be allowed on the extra ferries in the morning rush hours while the harbour bridge is closed for repairs?',
];
const NAMES = ['Jane Doe', 'bridgefan', 'Peter K.', 'Marta'];
const all = (s: string) => s.split('\n\n');

function page(headers: string[]): string {
  const thread = headers.flatMap((h, i) => [h, REPLIES[i]]);
  return [
    'Harbour bridge closes for repairs - The Daily Example',
    'News Politics Business Culture Sport',
    'Home › News › Local',
    'Harbour bridge closes for repairs',
    ...ARTICLE,
    'Share this article',
    ...thread,
    'Sign up for our newsletter',
  ].join('\n\n');
}

describe('comment threads', () => {
  test('a header pattern makes names one placeholder and keeps dates, times and system words', () => {
    expect(headerPattern('Jane Doe August 9th, 2012 at 2:00 pm')).toBe('xM0,0<at>0:0<am/pm>');
    // A thread's morning and evening posts are one pattern.
    expect(headerPattern('bridgefan August 10th, 2012 at 11:41 am')).toBe('xM0,0<at>0:0<am/pm>');
    expect(headerPattern('Peter K. says:')).toBe('x<says>:');
    expect(headerPattern('Nov. 20, 2019 12:00 AM EST')).toBe('M.0,00:0<am/pm><est>');
  });

  test('a header pattern is what the word regexes made of each part (one lookup a word now)', () => {
    // The regexes headerPattern tested a part against in turn, before they became one map.
    const reference = (line: string) => {
      const MONTH =
        /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december)$/;
      const WEEKDAY = /^(?:mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;
      const SYSTEM_WORD =
        /^(?:at|on|says|said|wrote|writes|reply|ago|minutes?|hours?|days?|weeks?|months?|years?|by|posted|permalink|edt|est|pdt|pst|gmt|utc)$/;
      let out = '';
      for (const part of line.toLowerCase().match(/\d+|[\p{L}\p{M}]+|[^\s\p{L}\p{M}\d]/gu) ?? []) {
        const c = part.charCodeAt(0);
        let p: string;
        if (c >= 48 && c <= 57) p = '0';
        else if (/^(?:st|nd|rd|th)$/.test(part) && out.endsWith('0')) continue;
        else if (MONTH.test(part)) p = 'M';
        else if (WEEKDAY.test(part)) p = 'W';
        else if (/^(?:am|pm)$/.test(part)) p = '<am/pm>';
        else if (SYSTEM_WORD.test(part)) p = `<${part}>`;
        else if (/\p{L}/u.test(part)) p = 'x';
        else if (/^[.'’_@-]$/.test(part) && out.endsWith('x')) continue;
        else p = part;
        if (p === 'x' && out.endsWith('x')) continue;
        out += p;
      }
      return out;
    };
    const words = [
      'Jan',
      'sept',
      'May',
      'Monday',
      'sun',
      'AM',
      'pm',
      'says',
      'minute',
      'Hours',
      'ago',
      'UTC',
      'st',
      'th',
      'Élan',
      'Ωmega',
      '\u0301x',
      'O’Brien',
      'K.',
      '@jane',
      '12',
      '3rd',
      '—',
      '|',
      '©',
    ];
    const line = fc
      .array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 }), fc.constantFrom(' ', ', ', ' | ', ':')), { maxLength: 14 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(line, (l) => {
        expect(headerPattern(l)).toBe(reference(l));
      }),
      { numRuns: 2000 },
    );
  });

  test('replies under "name, date at time" headers after an article go, and the reason says why', () => {
    const headers = NAMES.map((n, i) => `${n} August ${9 + i}, 2012 at ${i + 2}:15 pm`);
    const input = page(headers);
    expect(runRules(input, ruleset).articleShaped).toBe(false); // a page dump: the scorer judges
    const result = cleanText(input, ruleset);
    for (const p of ARTICLE) expect(all(result.text)).toContain(p);
    for (const r of REPLIES) expect(result.text).not.toContain(r);
    // The scorer drops some replies itself; those it kept go as the thread, with its reason.
    const byThread = result.removed.filter((r) => r.reason.startsWith('after the article'));
    expect(byThread.length).toBeGreaterThan(0);
    for (const r of byThread) {
      expect([...headers, ...REPLIES, 'Sign up for our newsletter']).toContain(r.text);
      expect(r.reason).toBe(`after the article: a comment thread of 4 posts headed like "${headers[0]}"`);
    }
  });

  test('"name says:" headers make a thread; "name wrote:" quotes inside a post do not', () => {
    const blocks = (headers: string[]) => segment(page(headers));
    const says = blocks(NAMES.map((n) => `${n} says:`));
    expect(findThread(says, new Uint8Array(says.length).fill(1))).toMatchObject({ posts: 4, header: 'Jane Doe says:' });
    const wrote = blocks(NAMES.map((n) => `${n} wrote:`));
    expect(findThread(wrote, new Uint8Array(wrote.length).fill(1))).toBeNull();
  });

  test('bare dates (a teaser list), a thread with no article before it (a forum) and dash attributions stay', () => {
    const kept = (input: string) => {
      const b = segment(input);
      return findThread(b, new Uint8Array(b.length).fill(1));
    };
    expect(kept(page(NAMES.map((_, i) => `August ${9 + i}, 2012`)))).toBeNull();
    expect(kept(page(NAMES.map((n, i) => `— ${n} (@reader${i}) August ${9 + i}, 2012`)))).toBeNull();
    const forum = NAMES.flatMap((n, i) => [`${n} August ${9 + i}, 2012 at ${i + 2}:15 pm`, ARTICLE[i]]).join('\n\n');
    expect(kept(forum)).toBeNull();
  });

  test('a thread needs three posts', () => {
    const b = segment(page(NAMES.slice(0, 2).map((n, i) => `${n} August ${9 + i}, 2012 at ${i + 2}:15 pm`)));
    expect(findThread(b, new Uint8Array(b.length).fill(1))).toBeNull();
  });

  test('a comments heading under the article cuts what follows; a comment count in the byline does not', () => {
    const blocks = segment(['Harbour bridge closes', 'By Jane Doe', '3 comments', ...ARTICLE, '3 Comments', ...REPLIES.slice(0, 3)].join('\n\n'));
    // The scorer (or the comment-count rule) dropped both counts; the prose is kept.
    const kept = Uint8Array.from(blocks, (b) => (/comments$/i.test(b.text) ? 0 : 1));
    expect(blocks[commentsHeading(blocks, kept)].text).toBe('3 Comments');
    // A heading the scorer kept is the text's own.
    expect(commentsHeading(blocks, new Uint8Array(blocks.length).fill(1))).toBe(-1);
    const input = [
      'News Politics Business Culture Sport',
      'Harbour bridge closes',
      ...ARTICLE,
      'Share this article',
      '3 Comments',
      ...REPLIES.slice(0, 3),
      'Sign up for our newsletter',
    ].join('\n\n');
    const result = cleanText(input, ruleset);
    for (const p of ARTICLE) expect(all(result.text)).toContain(p);
    for (const r of REPLIES.slice(0, 3)) expect(result.text).not.toContain(r);
  });
});
