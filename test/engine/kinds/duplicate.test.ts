/** kind: duplicate, on text written without spaces: lengths weigh a CJK character as three. */
import { cleanText, compileRuleSet, validateRuleSet } from '../../../src/engine';

const ex = { remove: [], keep: [] };
const set = compileRuleSet(
  validateRuleSet({
    id: 't',
    version: 1,
    rules: [{ id: 'dup', category: 'duplicate', description: 'Repeated block.', kind: 'duplicate', maxChars: 200, examples: ex }],
  }),
);

describe('duplicate across scripts', () => {
  test('a Chinese headline shown twice goes, though it has fewer than 20 characters', () => {
    const headline = '新竹尖石美樹營地賞楓';
    const r = cleanText(`${headline}\n市议会将于下周就新预算进行投票。\n${headline}`, set);
    expect(r.removed.map((x) => x.text)).toEqual([headline]);
    // Six characters of English are too short to be a repeat: "Home", "Share" recur in lists.
    expect(cleanText('Share!\nBody text.\nShare!', set).removed).toEqual([]);
  });
  test('a repeated Chinese paragraph longer than maxChars stays, as an English one does', () => {
    const paragraph = '市议会将于下周就新预算进行投票，议员们认为新预算可以改善城市交通和公共服务的质量，市民代表表示支持新预算。'.repeat(2);
    expect(paragraph.length).toBeLessThan(200);
    expect(cleanText(`${paragraph}\nBody.\n${paragraph}`, set).removed).toEqual([]);
  });
});
