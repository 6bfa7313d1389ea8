/** Language detection and stopword lists (engine/lang.ts), on sentences written for the purpose. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { canonicalLanguage, detectLanguage, detectTextLanguage, hasStopwordList, proseSample, stopwordsFor, STOPWORD_LANGUAGES } from '../../src/engine/lang';
import { segment } from '../../src/engine/segment';
import { cleanText } from '../../src/engine';
import { defaultRuleSet } from '../../src';
import { COVERED_LANGUAGES } from '../languages';

interface Sentences {
  sentences: Record<string, { short: string[]; mixed: string[] }>;
}
const { sentences } = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'language-sentences.json'), 'utf8')) as Sentences;

/** The 29 languages issue 17 names, as BCP 47 primary tags (Norwegian as Bokmål). */
const REQUIRED = COVERED_LANGUAGES.map(canonicalLanguage);

describe('detection', () => {
  test('the written sentences cover the 29 languages', () => {
    expect(Object.keys(sentences).sort()).toEqual([...REQUIRED].sort());
  });

  test('at least 95% of the short and mixed sentences are detected right, and every language on two sentences together', () => {
    const wrong: string[] = [];
    let total = 0;
    for (const [lang, s] of Object.entries(sentences)) {
      for (const text of [...s.short, ...s.mixed]) {
        total++;
        const got = detectTextLanguage(text);
        if (got !== lang) wrong.push(`${lang}→${got}: ${text}`);
      }
      expect([lang, detectTextLanguage(`${s.short[0]} ${s.short[1]}`)]).toEqual([lang, lang]);
    }
    expect(wrong.length / total).toBeLessThanOrEqual(0.05);
  });

  test('the script decides where it is sure; Arabic and Cyrillic choose among their languages', () => {
    expect(detectTextLanguage('Login Register Home 首页 新闻 体育 财经 科技 娱乐 市议会将于下周就新预算进行投票。')).toBe('zh');
    expect(detectTextLanguage('Login 市議会は来週、新しい予算案について採決する予定です。')).toBe('ja');
    expect(detectTextLanguage('Το δημοτικό συμβούλιο θα ψηφίσει')).toBe('el');
    expect(detectTextLanguage('شورای شهر هفته آینده درباره بودجه جدید رأی‌گیری می‌کند و مردم می‌گویند که این کار لازم است.')).toBe('fa');
    expect(detectTextLanguage('Міська рада проголосує за новий бюджет наступного тижня, і жителі чекають на це рішення.')).toBe('uk');
  });

  test('und when nothing fits; tags are primary tags', () => {
    expect(detectTextLanguage('')).toBe('und');
    expect(detectTextLanguage('12:30 — 4.5 / 100 %')).toBe('und');
    expect(canonicalLanguage('no')).toBe('nb');
    expect(canonicalLanguage('iw')).toBe('he');
    expect(detectTextLanguage('Hun gikk til stasjonen fordi bussen var forsinket igjen, og hun kom for sent til jobben.')).toBe('nb');
  });

  test('the sample is the longest blocks, bounded, longest first', () => {
    const para = (n: number) => 'Dette er en lang setning om byen og elva. '.repeat(n).trim();
    const blocks = segment(['Home', 'Login', para(10), 'Menu', para(100), para(3)].join('\n'));
    const sample = proseSample(blocks);
    expect(sample.length).toBeLessThanOrEqual(2000 + blocks.length);
    expect(sample.startsWith(para(100).slice(0, 200))).toBe(true);
    expect(sample).not.toContain('Login');
    // A page whose prose is Norwegian and whose menu is English is Norwegian.
    expect(detectLanguage(blocks)).toBe('nb');
  });

  test('blocks of equal length come in document order, as the comparator sort had them', () => {
    // The sample sorts numeric keys; the order it must keep is this comparator's.
    const reference = (blocks: { rest: string }[]) => {
      const order = blocks.map((b, i) => i).filter((i) => blocks[i].rest.length > 0);
      order.sort((a, b) => blocks[b].rest.length - blocks[a].rest.length || a - b);
      const parts: string[] = [];
      let taken = 0;
      for (const i of order) {
        if (taken >= 2000 || (blocks[i].rest.length < 80 && taken >= 500)) break;
        const text = blocks[i].rest.slice(0, Math.min(1000, 2000 - taken));
        parts.push(text);
        taken += text.length;
      }
      return parts.join('\n');
    };
    const rest = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 3 }),
      fc.string({ minLength: 70, maxLength: 90 }),
      fc.string({ minLength: 900, maxLength: 1100 }),
      fc.nat(5).map((k) => String.fromCharCode(97 + k).repeat(120)),
    );
    fc.assert(
      fc.property(
        fc.array(
          rest.map((r) => ({ rest: r.replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '') })),
          { maxLength: 40 },
        ),
        (blocks) => {
          expect(proseSample(blocks)).toBe(reference(blocks));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('stopwords', () => {
  test('every required language has a list of single words with its commonest function word', () => {
    const commonest: Record<string, string> = {
      zh: '的',
      ja: 'の',
      th: 'และ',
      ar: 'في',
      fa: 'از',
      he: 'של',
      hi: 'के',
      ko: '그리고',
      vi: 'của',
      el: 'και',
      tr: 've',
      id: 'dan',
      nb: 'og',
      uk: 'та',
      ru: 'и',
      de: 'und',
      fr: 'et',
      en: 'the',
    };
    for (const lang of REQUIRED) {
      expect([lang, hasStopwordList(lang)]).toEqual([lang, true]);
      expect(STOPWORD_LANGUAGES).toContain(lang);
      const list = stopwordsFor(lang);
      expect(list.size).toBeGreaterThan(40);
      for (const w of list) expect(/^[\p{L}\p{N}\p{M}\u200c]+$/u.test(w)).toBe(true);
      if (commonest[lang]) expect([lang, list.has(commonest[lang])]).toEqual([lang, true]);
    }
    expect(stopwordsFor('no')).toBe(stopwordsFor('nb'));
    expect(hasStopwordList('ga')).toBe(false);
  });
});

describe('short articles in Arabic, Russian and Turkish', () => {
  const articles: Record<string, { title: string; paragraphs: string[] }> = {
    ar: {
      title: 'مجلس المدينة يوافق على خطة تطوير الواجهة البحرية',
      paragraphs: [
        'وافق مجلس المدينة يوم الثلاثاء على خطة تطوير الواجهة البحرية التي نوقشت لمدة عامين تقريبا. وستبدأ الأعمال في الربيع وتستمر حتى نهاية الصيف المقبل، على أن تقتصر القيود على حركة المرور على ساعات الليل فقط.',
        'وقال كبير المهندسين في المدينة إن الواجهة ستضم مقاعد جديدة وإضاءة حديثة ومسارا للدراجات. وسيتم الحفاظ على الأشجار الممتدة على طول النهر، كما سيتم ترميم الفوانيس القديمة وإعادتها إلى أماكنها.',
        'وأيد معظم السكان الذين حضروا الجلسة المشروع. وطلب بعضهم توفير أماكن أكثر للعائلات والأطفال، ووعد المجلس بأخذ هذه المقترحات في الاعتبار عند إعداد الميزانية النهائية.',
      ],
    },
    ru: {
      title: 'Городской совет утвердил план реконструкции набережной',
      paragraphs: [
        'Городской совет во вторник утвердил план реконструкции набережной, который обсуждали почти два года. Работы начнутся весной и продлятся до конца следующего лета, а движение транспорта на время ремонта ограничат только в ночные часы.',
        'По словам главного архитектора города, на набережной появятся новые скамейки, освещение и велосипедная дорожка. Деревья, которые росли вдоль реки, сохранят, а старые фонари отреставрируют и вернут на прежние места.',
        'Жители, которые пришли на заседание, в основном поддержали проект. Некоторые из них попросили сделать больше мест для отдыха с детьми, и совет обещал учесть эти пожелания при подготовке окончательной сметы.',
      ],
    },
    tr: {
      title: 'Belediye meclisi sahil yolunun yenilenmesi planını onayladı',
      paragraphs: [
        'Belediye meclisi salı günü, yaklaşık iki yıldır tartışılan sahil yolunun yenilenmesi planını onayladı. Çalışmalar ilkbaharda başlayacak ve gelecek yazın sonuna kadar sürecek; trafik ise yalnızca gece saatlerinde kısıtlanacak.',
        'Şehrin baş mimarına göre sahil yolunda yeni banklar, aydınlatma ve bir bisiklet yolu olacak. Nehir boyunca uzanan ağaçlar korunacak, eski fenerler ise restore edilerek eski yerlerine geri konacak.',
        'Toplantıya katılan sakinlerin çoğu projeyi destekledi. Bazıları çocuklu aileler için daha fazla dinlenme alanı yapılmasını istedi ve meclis bu talepleri kesin bütçeyi hazırlarken dikkate alacağına söz verdi.',
      ],
    },
  };
  const set = defaultRuleSet();
  test.each(Object.keys(articles))('%s: the language is detected and the title and every paragraph are kept', (lang) => {
    const a = articles[lang];
    const input = ['Home', 'News', 'Sport', 'Contact', '', a.title, '', ...a.paragraphs.flatMap((p) => [p, ''])].join('\n');
    const r = cleanText(input, set);
    expect(r.lang).toBe(lang);
    expect(r.text.startsWith(a.title)).toBe(true);
    for (const p of a.paragraphs) expect(r.text).toContain(p);
    expect(r.text).not.toContain('Home');
  });
});
