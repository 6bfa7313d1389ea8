/** How lines join: wrapped prose (a sentence running on over a line break) against lists and menus. */
import { runsOn, startsLowerCase, wrappedProseLines } from '../../src/engine/lines';
import { segment } from '../../src/engine/segment';

const wrapped = (input: string) => Array.from(wrappedProseLines(input, segment(input)));

describe('wrappedProseLines', () => {
  it('marks the lines of a paragraph whose sentences run on over its line breaks', () => {
    const input =
      'Title\n\nLorem ipsum\ndolor sit\namet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam.\n\nFoo';
    expect(wrapped(input)).toEqual([0, 1, 1, 1, 0]);
  });

  it('marks only the lines next to a run-on joint', () => {
    const input =
      'The committee met on Tuesday.\nIt agreed that the new tram line should reach the\nnorthern districts before the end of the decade, the mayor said.';
    expect(wrapped(input)).toEqual([0, 1, 1]);
  });

  it('leaves menus alone, even lower-case ones, and lines separated by blank lines', () => {
    expect(wrapped('mom\nstyle\nfood\ntech\nhome\nmoney')).toEqual([0, 0, 0, 0, 0, 0]);
    expect(wrapped('Home\nNews\nSport\nWeather')).toEqual([0, 0, 0, 0]);
    const spaced = 'The committee met on Tuesday and agreed that the new\n\ntram line should reach the northern districts before the end of the decade.';
    expect(wrapped(spaced)).toEqual([0, 0]);
  });

  it('does not join a sentence that ends, however the next line starts', () => {
    const input =
      'The committee met on Tuesday and agreed on the plan for the northern districts.\niPhone owners can now follow the vote in the council app, the city said on Wednesday.';
    expect(wrapped(input)).toEqual([0, 0]);
  });
});

describe('runsOn', () => {
  it('needs an open sentence and a lower-case continuation, in any script with case', () => {
    expect(runsOn(false, 'amet, consectetur')).toBe(true);
    expect(runsOn(true, 'amet, consectetur')).toBe(false);
    expect(runsOn(false, 'Amet')).toBe(false);
    expect(startsLowerCase('élan')).toBe(true);
    expect(startsLowerCase('Élan')).toBe(false);
    expect(startsLowerCase('中文')).toBe(false);
    expect(startsLowerCase('3 items')).toBe(false);
  });
});
