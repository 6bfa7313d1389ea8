/**
 * The dashboard's wiring: the document view, the rule editor, the corpus run and saving. State
 * lives in a few module variables; every change goes through `schedule()` (re-clean, debounced)
 * or a render function of its own panel.
 */
import './style.css';
import { api, ApiError, type CleanResult, type FieldError, type RuleDef, type RuleSetDef } from './api';
import { categoryClass, categoryCss, CATEGORY_STYLES, styleOf } from './categories';
import { parseCorpus, type LabelledDoc } from './corpus';
import { diffLines, ruleHunks } from './diff';
import { pageSrcdoc } from './page-view';
import { byId, h, num, pct } from './dom';
import { runCorpus, type CorpusRun } from './evaluate';
import { COMMON_FIELDS, KIND_FIELDS, type FieldSpec } from './fields';
import { drawHighlights, type HighlightHandle } from './highlight';
import { categoryChart, f1Chart } from './charts';
import { parseYaml, RuleSetEditor, toYaml, type RuleRow } from './ruleset';
import { tally } from './spans';

/**
 * Wait after the last keystroke before cleaning again: long enough that typing at ~6 keys a second
 * sends one request per pause rather than per key, short enough that with the ~60-80 ms a 10 KB
 * page takes to clean and redraw (bench/dashboard.js) the result shows within 200 ms.
 */
const TYPING_DEBOUNCE_MS = 80;
const TOKEN_KEY = 'declutter.adminToken';

let editor: RuleSetEditor | undefined;
let result: CleanResult | undefined;
let resultText = '';
let corpus: LabelledDoc[] = [];
let corpusPages: { id: string; html: string }[] = [];
let highlight: HighlightHandle | undefined;
let cleanAbort: AbortController | undefined;
let runAbort: AbortController | undefined;
let fieldErrors: FieldError[] = [];
let cleanSeq = 0;
/** How the shown result's input was read. */
let resultKind: 'text' | 'html' = 'text';
/** The removal the inspector explains (by extent and rule, so it can be found again in a new result). */
let inspected: { start: number; end: number; rule: string } | undefined;
/** Every set the service has, with what it extends: saving a base set changes its children too. */
let allSets: { id: string; version: number; extends?: string }[] = [];
/** Versions known from the save's own answer, shown before (and whatever) the version list says. */
const savedHere: { id: string; version: number; savedAt: string }[] = [];

/** A page, not text: it starts like one, or the user said so. */
function docKind(text: string): 'text' | 'html' {
  const chosen = byId<HTMLSelectElement>('doc-kind').value;
  if (chosen === 'text' || chosen === 'html') return chosen;
  return /^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text) ? 'html' : 'text';
}

const status = (msg: string) => (byId('status').textContent = msg);
const docText = () => byId<HTMLTextAreaElement>('doc-text').value;

// ---------------------------------------------------------------------------------------------
// Document view
// ---------------------------------------------------------------------------------------------

function renderLegend(): void {
  const counts = result ? tally(result.removed).categories : new Map<string, { spans: number; chars: number }>();
  const cats = new Set([...Object.keys(CATEGORY_STYLES), ...counts.keys()]);
  const legend = byId('legend');
  legend.replaceChildren(
    ...[...cats].map((c) => {
      const n = counts.get(c);
      return h(
        'li',
        { class: n ? '' : 'absent', 'data-category': c },
        h('span', { class: `swatch ${categoryClass(c)}`, 'aria-hidden': 'true' }, 'Aa'),
        ` ${styleOf(c).label}`,
        h('span', { class: 'count' }, n ? ` ${n.spans} (${num(n.chars)} ch)` : ' 0'),
      );
    }),
  );
}

function renderDocument(): void {
  highlight?.cancel();
  const view = byId('view-highlight');
  const clean = byId('view-clean');
  if (!result) {
    view.replaceChildren(h('p', { class: 'muted' }, 'Paste or upload a document to see what the rules remove.'));
    clean.textContent = '';
    byId('doc-stats').textContent = '';
    renderLegend();
    return;
  }
  highlight = drawHighlights(view, resultText, result.removed);
  clean.textContent = result.text;
  renderPage();
  const s = result.stats;
  byId('doc-stats').textContent =
    `${num(s.inputChars)} characters in, ${num(s.outputChars)} out; ${result.removed.length} spans removed (${num(s.removedChars)} characters, ${s.removedBlocks} of ${s.blocks} blocks); rule set ${result.ruleset.id} ${editor?.dirty() ? '(edited)' : `v${result.ruleset.version}`}; ${s.elapsedMs.toFixed(1)} ms in the engine.`;
  renderLegend();
  updateRuleHits();
  refreshInspector();
}

/** The page tab: shown for HTML input only, the page rendered inert with its removals outlined. */
function renderPage(): void {
  const tab = byId('tab-page');
  const frame = byId<HTMLIFrameElement>('page-frame');
  const isPage = !!result && resultKind === 'html';
  tab.hidden = !isPage;
  if (!isPage) {
    if (tab.getAttribute('aria-selected') === 'true') byId('tab-highlight').click();
    frame.srcdoc = '';
    return;
  }
  // The same page again (an edit that changed nothing on it) is not reloaded: no flicker, hover kept.
  const srcdoc = pageSrcdoc(resultText, result!);
  if (frame.srcdoc !== srcdoc) frame.srcdoc = srcdoc;
}

/** Hover and click inside the rendered page: the dashboard listens; the page itself runs nothing. */
function wirePageFrame(): void {
  const frame = byId<HTMLIFrameElement>('page-frame');
  frame.addEventListener('load', () => {
    const doc = frame.contentDocument;
    if (!doc) return;
    const marked = (e: Event) => (e.target as Element | null)?.closest?.('[data-dc]') ?? null;
    doc.addEventListener('mouseover', (e) => {
      const el = marked(e);
      if (el) showRemoval(Number(el.getAttribute('data-dc')));
    });
    doc.addEventListener('click', (e) => {
      e.preventDefault();
      const el = marked(e);
      if (!el) return;
      delete byId('inspector').dataset.pinned;
      showRemoval(Number(el.getAttribute('data-dc')), true);
    });
  });
}

/** Re-explains the inspected removal in a new result, or says it is gone. */
function refreshInspector(): void {
  const insp = byId('inspector');
  if (!inspected) return;
  const was = inspected;
  const at = result?.removed.findIndex((r) => r.start === was.start && r.end === was.end && r.rule === was.rule) ?? -1;
  if (at >= 0) {
    showRemoval(at, !!insp.dataset.pinned, true);
    return;
  }
  inspected = undefined;
  delete insp.dataset.pinned;
  insp.replaceChildren(
    h('span', { 'data-testid': 'inspector-gone' }, `Characters ${was.start}–${was.end} are no longer removed by ${was.rule}.`),
    ' Hover, click or focus a highlighted span to see its rule, category and reason.',
  );
}

function showSpan(mark: HTMLElement, pin = false): void {
  showRemoval(Number(mark.dataset.i), pin);
}

function showRemoval(index: number, pin = false, refresh = false): void {
  if (!result) return;
  const r = result.removed[index];
  if (!r) return;
  const insp = byId('inspector');
  if (insp.dataset.pinned && !pin && !refresh) return;
  if (pin) insp.dataset.pinned = '1';
  inspected = { start: r.start, end: r.end, rule: r.rule };
  const go = h('button', { type: 'button', class: 'link', 'data-testid': 'inspector-go' }, `show ${r.rule} in the rules`);
  go.addEventListener('click', () => goToRule(r.rule));
  insp.replaceChildren(
    h('span', { class: `swatch ${categoryClass(r.category)}`, 'aria-hidden': 'true' }, 'Aa'),
    ' ',
    h('strong', { 'data-testid': 'inspector-rule' }, r.rule),
    ' · ',
    h('span', { 'data-testid': 'inspector-category' }, r.category),
    ' · ',
    h('span', { class: 'muted' }, `characters ${r.start}–${r.end}`),
    ' · ',
    go,
    h('br'),
    ...(r.path ? [h('code', { class: 'path', 'data-testid': 'inspector-path' }, r.path), h('br')] : []),
    h('span', { 'data-testid': 'inspector-reason' }, r.reason),
  );
}

/** From a span to its rule: the rule shown (the filter cleared if it hid it), scrolled to, marked, its toggle focused. */
function goToRule(id: string): void {
  const li = document.getElementById(ruleDomId(id));
  if (!li) {
    status(`Rule ${id} is not in this set's list.`);
    return;
  }
  if (li.hidden) {
    byId<HTMLInputElement>('rule-filter').value = '';
    byId<HTMLInputElement>('rule-has-hits').checked = false;
    applyFilter();
  }
  for (const old of document.querySelectorAll('li.rule.located')) old.classList.remove('located');
  li.classList.add('located');
  li.scrollIntoView({ block: 'nearest' });
  li.querySelector<HTMLInputElement>('input[type=checkbox]')?.focus({ preventScroll: true });
}

function wireDocumentView(): void {
  const view = byId('view-highlight');
  const markOf = (e: Event) => (e.target as HTMLElement).closest?.('mark.rm') as HTMLElement | null;
  view.addEventListener('mouseover', (e) => {
    const m = markOf(e);
    if (m) showSpan(m);
  });
  view.addEventListener('focusin', (e) => {
    const m = markOf(e);
    if (m) showSpan(m, true);
  });
  view.addEventListener('click', (e) => {
    const m = markOf(e);
    if (!m) return;
    delete byId('inspector').dataset.pinned;
    m.focus();
    showSpan(m, true);
  });
  view.addEventListener('focusout', () => delete byId('inspector').dataset.pinned);
  // Roving focus: one span in the tab order, arrow keys step through the rest.
  view.addEventListener('keydown', (e) => {
    const m = markOf(e);
    if (!m || !['ArrowRight', 'ArrowLeft', 'Home', 'End'].includes(e.key)) return;
    const marks = [...view.querySelectorAll<HTMLElement>('mark.rm')];
    const at = marks.indexOf(m);
    const to = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : marks.length - 1;
    const next = marks[Math.max(0, Math.min(marks.length - 1, to))];
    if (!next || next === m) return;
    e.preventDefault();
    m.tabIndex = -1;
    next.tabIndex = 0;
    delete byId('inspector').dataset.pinned;
    next.focus();
  });

  const tabs = [byId('tab-highlight'), byId('tab-page'), byId('tab-clean')];
  const select = (i: number) => {
    tabs.forEach((t, k) => {
      t.setAttribute('aria-selected', String(k === i));
      t.tabIndex = k === i ? 0 : -1;
      byId(t.getAttribute('aria-controls')!).hidden = k !== i;
    });
    tabs[i].focus();
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => select(i));
    t.addEventListener('keydown', (e) => {
      const shown = tabs.filter((t) => !t.hidden);
      const at = shown.indexOf(t);
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (step) select(tabs.indexOf(shown[(at + step + shown.length) % shown.length]));
    });
  });

  const textarea = byId<HTMLTextAreaElement>('doc-text');
  textarea.addEventListener('input', () => schedule());
  byId('doc-kind').addEventListener('change', () => void cleanNow());
  wirePageFrame();
  textarea.value = sessionStorage.getItem(DOC_KEY) ?? '';
  byId<HTMLInputElement>('doc-file').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    setDocument(await file.text());
  });
  byId<HTMLSelectElement>('corpus-doc').addEventListener('change', (e) => {
    const value = (e.target as HTMLSelectElement).value;
    const page = value.startsWith('page:') ? corpusPages.find((p) => p.id === value.slice(5)) : undefined;
    if (page) return setDocument(page.html);
    const doc = corpus.find((d) => d.id === value);
    if (doc) setDocument(doc.text);
  });
}

/**
 * The document survives a reload (after saving, say) when it fits comfortably in sessionStorage,
 * whose quota is about 5 MB of UTF-16: 1 M characters leaves room for the rest of the tab.
 */
const KEEP_DOC_MAX_CHARS = 1_000_000;
const DOC_KEY = 'declutter.document';

function keepDocument(text: string): void {
  try {
    if (text.length <= KEEP_DOC_MAX_CHARS) sessionStorage.setItem(DOC_KEY, text);
    else sessionStorage.removeItem(DOC_KEY);
  } catch {
    /* storage full or disabled: the document is simply not kept */
  }
}

function setDocument(text: string): void {
  byId<HTMLTextAreaElement>('doc-text').value = text;
  void cleanNow();
}

// ---------------------------------------------------------------------------------------------
// Cleaning
// ---------------------------------------------------------------------------------------------

let timer: ReturnType<typeof setTimeout> | undefined;
function schedule(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void cleanNow(), TYPING_DEBOUNCE_MS);
}

async function cleanNow(): Promise<void> {
  if (timer) clearTimeout(timer);
  if (!editor) return;
  const text = docText();
  keepDocument(text);
  cleanAbort?.abort();
  const seq = ++cleanSeq;
  if (!text.trim()) {
    result = undefined;
    renderDocument();
    return;
  }
  cleanAbort = new AbortController();
  const started = performance.now();
  status('Cleaning…');
  try {
    const kind = docKind(text);
    byId('doc-kind-note').textContent = kind === 'html' ? 'Cleaning it as an HTML page: selector rules and the HTML scorer apply.' : '';
    const r = await api.clean(text, editor.forRequest(), cleanAbort.signal, kind);
    if (seq !== cleanSeq) return;
    result = r;
    resultText = text;
    resultKind = kind;
    setFieldErrors([]);
    renderDocument();
    status(`Cleaned in ${Math.round(performance.now() - started)} ms${editor.dirty() ? ' with the edited rule set' : ''}.`);
    byId('view-highlight').classList.remove('stale');
  } catch (e) {
    if ((e as Error).name === 'AbortError' || seq !== cleanSeq) return;
    if (e instanceof ApiError && e.code === 'invalid-ruleset') {
      setFieldErrors(e.errors.length ? e.errors : [{ field: '(set)', message: e.detail }]);
      status('The edited rule set is invalid; the view shows the last valid result.');
    } else if (e instanceof ApiError) {
      setFieldErrors([]);
      status(`The service refused to clean: ${e.detail} (${e.code}).`);
    } else {
      status(`Cleaning failed: ${(e as Error).message}`);
    }
    byId('view-highlight').classList.add('stale');
  }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const ruleDomId = (id: string) => `rule-${id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;

function renderRules(): void {
  const list = byId('rule-list');
  if (!editor) return list.replaceChildren();
  list.replaceChildren(...editor.rows().map(ruleItem));
  applyFilter();
  updateRuleHits();
  renderErrors();
}

function ruleItem(row: RuleRow): HTMLElement {
  const id = row.rule.id;
  const dom = ruleDomId(id);
  const toggle = h('input', { type: 'checkbox', id: `${dom}-on`, 'data-rule': id });
  toggle.checked = editor!.isEnabled(id);
  toggle.addEventListener('change', () => {
    editor!.setEnabled(id, toggle.checked);
    edited();
  });
  const editBtn = h(
    'button',
    {
      type: 'button',
      class: 'edit',
      'aria-expanded': 'false',
      'aria-controls': `${dom}-edit`,
      disabled: !row.own,
      title: row.own ? undefined : `inherited from ${row.from}: switch it off here, edit it in ${row.from}`,
    },
    'Edit',
  );
  const body = h('div', { id: `${dom}-edit`, class: 'rule-edit', hidden: true });
  editBtn.addEventListener('click', () => {
    const open = body.hidden;
    body.hidden = !open;
    editBtn.setAttribute('aria-expanded', String(open));
    if (open) {
      body.replaceChildren(...ruleForm(id));
      renderErrors();
      body.querySelector<HTMLElement>('input, textarea, select')?.focus();
    }
  });
  return h(
    'li',
    { class: 'rule', id: dom, 'data-rule': id, 'data-category': row.rule.category, 'data-kind': row.rule.kind },
    h('div', { class: 'rule-head' }, toggle, h('label', { for: `${dom}-on`, class: 'rule-id' }, id), editBtn),
    h(
      'div',
      { class: 'rule-meta' },
      h('span', { class: `swatch ${categoryClass(row.rule.category)}` }, row.rule.category),
      h('span', { class: 'muted' }, row.rule.kind),
      row.own ? null : h('span', { class: 'muted' }, `from ${row.from}`),
      h('span', { class: 'hits', 'data-testid': 'hits' }),
    ),
    h('p', { class: 'rule-error', id: `${dom}-error`, role: 'alert' }),
    body,
  );
}

function fieldInput(rule: RuleDef, spec: FieldSpec, inputId: string): HTMLElement {
  const value = rule[spec.name];
  const set = (v: unknown) => {
    editor!.setField(rule.id, spec.name, v);
    edited();
  };
  if (spec.type === 'lines' || spec.type === 'pattern') {
    const ta = h('textarea', { id: inputId, rows: spec.type === 'lines' ? 6 : 3, spellcheck: 'false', class: spec.type === 'pattern' ? 'mono' : '' });
    // A pattern may be a list of alternatives (joined a|b|c): one a line here.
    const alternatives = spec.type === 'pattern' && spec.name === 'pattern';
    ta.value = spec.type === 'lines' || Array.isArray(value) ? ((value as string[] | undefined) ?? []).join('\n') : String(value ?? '');
    ta.addEventListener('input', () => {
      if (spec.type === 'lines') {
        const lines = ta.value
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        set(lines);
      } else if (alternatives && ta.value.includes('\n')) {
        set(ta.value.split('\n').filter(Boolean));
      } else set(ta.value);
    });
    return ta;
  }
  if (spec.type === 'choice') {
    const sel = h('select', { id: inputId }, ...spec.options.map((o) => h('option', { value: o }, o)));
    sel.value = String(value ?? spec.options[0]);
    sel.addEventListener('change', () => set(sel.value));
    return sel;
  }
  if (spec.type === 'text') {
    const inp = h('input', { id: inputId, type: 'text' });
    inp.value = String(value ?? '');
    inp.addEventListener('input', () => set(inp.value === '' && spec.name === 'flags' ? undefined : inp.value));
    return inp;
  }
  const inp = h('input', {
    id: inputId,
    type: 'number',
    min: spec.min,
    max: spec.max,
    step: spec.step ?? (spec.type === 'integer' ? 1 : 'any'),
    placeholder: 'default',
  });
  inp.value = value === undefined ? '' : String(value);
  inp.addEventListener('input', () => {
    // Empty means "the kind's default"; anything else goes to the server as typed, which judges it.
    if (inp.value.trim() === '') set(undefined);
    else set(Number(inp.value));
  });
  return inp;
}

function ruleForm(id: string): HTMLElement[] {
  const rule = editor!.edited.rules.find((r) => r.id === id)!;
  const dom = ruleDomId(id);
  const specs = [...(KIND_FIELDS[rule.kind] ?? []), ...COMMON_FIELDS];
  const fields = specs.map((spec) => {
    const inputId = `${dom}-f-${spec.name}`;
    const input = fieldInput(rule, spec, inputId);
    input.setAttribute('aria-describedby', `${inputId}-err`);
    return h(
      'div',
      { class: 'field', 'data-field': spec.name },
      h('label', { for: inputId }, spec.label),
      input,
      spec.help ? h('small', { class: 'muted' }, spec.help) : null,
      h('p', { class: 'field-error', id: `${inputId}-err`, 'data-field-error': spec.name }),
    );
  });
  // Every other field (examples, a scorer's features...) through the rule's YAML.
  const yamlId = `${dom}-yaml`;
  const yamlBox = h('textarea', { id: yamlId, rows: 10, spellcheck: 'false', class: 'mono' });
  const yamlErr = h('p', { class: 'field-error', id: `${yamlId}-err` });
  yamlBox.setAttribute('aria-describedby', `${yamlId}-err`);
  const details = h(
    'details',
    {},
    h('summary', {}, 'All fields as YAML'),
    h('label', { for: yamlId, class: 'visually-hidden' }, `Rule ${id} as YAML`),
    yamlBox,
    yamlErr,
  );
  details.addEventListener('toggle', () => {
    if (details.open) yamlBox.value = toYaml(editor!.edited.rules.find((r) => r.id === id) ?? rule);
  });
  yamlBox.addEventListener('input', () => {
    let parsed: unknown;
    try {
      parsed = parseYaml(yamlBox.value);
    } catch (e) {
      yamlErr.textContent = `YAML: ${(e as Error).message.split('\n')[0]}`;
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      yamlErr.textContent = 'The rule must be a mapping (id, category, description, kind, ...).';
      return;
    }
    yamlErr.textContent = '';
    const current = editor!.edited.rules.find((r) => r.id === id);
    if (current) editor!.replaceRule(current.id, parsed as RuleDef);
    edited();
  });
  return [...fields, details];
}

function updateRuleHits(): void {
  const hits = result ? tally(result.removed).rules : new Map<string, number>();
  for (const li of byId('rule-list').querySelectorAll<HTMLElement>('li.rule')) {
    const n = hits.get(li.dataset.rule!) ?? 0;
    const el = li.querySelector('.hits')!;
    el.textContent = n ? `${n} hit${n === 1 ? '' : 's'}` : '';
  }
  if (byId<HTMLInputElement>('rule-has-hits').checked) applyFilter();
}

function applyFilter(): void {
  const q = byId<HTMLInputElement>('rule-filter').value.trim().toLowerCase();
  const withHits = byId<HTMLInputElement>('rule-has-hits').checked;
  const hits = result ? tally(result.removed).rules : new Map<string, number>();
  for (const li of byId('rule-list').querySelectorAll<HTMLElement>('li.rule')) {
    const text = `${li.dataset.rule} ${li.dataset.category} ${li.dataset.kind ?? ''}`.toLowerCase();
    li.hidden = (q !== '' && !text.includes(q)) || (withHits && !hits.get(li.dataset.rule!));
  }
}

function setFieldErrors(errors: FieldError[]): void {
  fieldErrors = errors;
  renderErrors();
}

/** Puts each 422 error beside its rule and, when the rule's form is open, under the field. */
function renderErrors(): void {
  const summary = byId('ruleset-errors');
  for (const el of document.querySelectorAll('.rule-error, .field-error[data-field-error]')) el.textContent = '';
  for (const el of document.querySelectorAll('li.rule.invalid')) el.classList.remove('invalid');
  for (const err of fieldErrors) {
    const li = err.rule ? document.getElementById(ruleDomId(err.rule)) : null;
    // Errors outside any listed rule (the set's own fields) only appear in the summary.
    if (!li) continue;
    li.classList.add('invalid');
    const top = err.field.split('/')[0];
    const under = li.querySelector<HTMLElement>(`.field-error[data-field-error="${CSS.escape(top)}"]`);
    const line = `${err.field}: ${err.message}`;
    // Under the field when its form is open, else on the rule's card (never both: one message, one place).
    const target = under ?? li.querySelector<HTMLElement>('.rule-error')!;
    target.textContent = [target.textContent, line].filter(Boolean).join('; ');
  }
  summary.replaceChildren(
    ...(fieldErrors.length
      ? [
          h('p', {}, `The edited set is invalid (${fieldErrors.length} problem${fieldErrors.length === 1 ? '' : 's'}); the server said:`),
          h(
            'ul',
            {},
            ...fieldErrors.map((e) => {
              const target = e.rule ? document.getElementById(ruleDomId(e.rule)) : null;
              const text = e.rule ? `rule "${e.rule}", field "${e.field}": ${e.message}` : `field "${e.field}": ${e.message}`;
              return h('li', {}, target ? h('a', { href: `#${target.id}` }, text) : text);
            }),
          ),
        ]
      : []),
  );
}

/** After every edit: mark the set edited, update the diff, re-clean. */
function edited(): void {
  const dirty = editor!.dirty();
  byId('dirty-badge').hidden = !dirty;
  byId<HTMLButtonElement>('revert').disabled = !dirty;
  renderDiff();
  schedule();
}

// ---------------------------------------------------------------------------------------------
// Rule sets: loading, diff, saving
// ---------------------------------------------------------------------------------------------

async function inheritedRows(def: RuleSetDef): Promise<RuleRow[]> {
  if (!def.extends) return [];
  try {
    const eff = await api.getEffective(def.id);
    if (eff?.effectiveRules) {
      return eff.effectiveRules.filter((r) => r.from && r.from !== def.id).map((r) => ({ rule: { ...r, enabled: undefined }, from: r.from!, own: false }));
    }
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
  // Without ?effective=true: walk `extends` ourselves (a chain of a few sets at most).
  const rows: RuleRow[] = [];
  const seen = new Set([def.id]);
  let base: string | undefined = def.extends;
  while (base && !seen.has(base)) {
    seen.add(base);
    const { def: b } = await api.getRuleSet(base);
    for (const r of b.rules) if (!rows.some((x) => x.rule.id === r.id)) rows.push({ rule: r, from: b.id, own: false });
    base = b.extends;
  }
  return rows;
}

async function loadRuleSet(id: string): Promise<void> {
  status(`Loading rule set ${id}…`);
  const { def, etag } = await api.getRuleSet(id);
  editor = new RuleSetEditor(def, etag, await inheritedRows(def));
  byId('ruleset-version').textContent = `v${def.version}`;
  byId('dirty-badge').hidden = true;
  byId<HTMLButtonElement>('revert').disabled = true;
  fieldErrors = [];
  renderRules();
  renderDiff();
  void renderVersions();
  status(`Rule set ${id} v${def.version}: ${def.rules.length} rules.`);
  // Edits are cleaned by the service's worker threads, started on the first inline set: an empty
  // overlay now starts them, so the user's first toggle does not wait a second for it.
  api.clean(' ', editor.overlay()).catch(() => undefined);
  await cleanNow();
}

function renderDiff(): void {
  const pre = byId('diff');
  if (!editor || !editor.dirty()) {
    pre.textContent = 'No changes.';
    return;
  }
  const parts = ruleHunks(diffLines(toYaml(editor.saved), toYaml(editor.edited)));
  pre.replaceChildren(
    ...parts.flatMap((hunk) => [
      h(
        'span',
        { class: 'hunk-head', 'data-testid': 'hunk-rule', 'data-rule': hunk.rule ?? '' },
        hunk.rule ? `@@ rule ${hunk.rule} @@\n` : '@@ the set itself @@\n',
      ),
      ...hunk.lines.map((l) =>
        h('span', { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : l.op === '…' ? 'gap' : 'same' }, `${l.op === '…' ? '  ' : l.op + ' '}${l.text}\n`),
      ),
    ]),
  );
}

async function renderVersions(): Promise<void> {
  const el = byId('versions');
  if (!editor) return;
  try {
    const id = editor.saved.id;
    const v = await api.versions(id);
    if (editor.saved.id !== id) return;
    // A list read before our save reached it still gets the version the save answered with.
    for (const mine of savedHere.filter((s) => s.id === id)) {
      if (!v.versions.some((x) => x.version === mine.version)) v.versions.push({ version: mine.version, savedAt: mine.savedAt, current: true });
    }
    const top = Math.max(...v.versions.map((x) => x.version));
    if (savedHere.some((s) => s.id === id && s.version === top)) for (const x of v.versions) x.current = x.version === top;
    v.versions.sort((a, b) => b.version - a.version);
    el.textContent = `Saved versions: ${v.versions.map((x) => `v${x.version}${x.current ? ' (current)' : ''}${x.savedAt ? ` ${x.savedAt.slice(0, 16).replace('T', ' ')}` : ''}`).join(', ')}`;
  } catch (e) {
    el.textContent = e instanceof ApiError && e.missing ? 'Version history needs GET /v1/rulesets/{id}/versions, which this service does not offer yet.' : '';
  }
}

function askToken(): Promise<string | undefined> {
  const stored = sessionStorage.getItem(TOKEN_KEY);
  if (stored) return Promise.resolve(stored);
  const dialog = byId<HTMLDialogElement>('token-dialog');
  const input = byId<HTMLInputElement>('token-input');
  input.value = '';
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        if (dialog.returnValue === 'ok' && input.value) {
          sessionStorage.setItem(TOKEN_KEY, input.value);
          resolve(input.value);
        } else resolve(undefined);
      },
      { once: true },
    );
    dialog.showModal();
  });
}

async function save(): Promise<void> {
  if (!editor) return;
  const out = byId('save-status');
  if (!editor.dirty()) {
    out.textContent = 'Nothing to save: the set equals the saved version.';
    return;
  }
  const effect = saveEffect(editor.saved.id);
  if (effect && !confirm(effect)) {
    out.textContent = 'Not saved: cancelled.';
    return;
  }
  const token = await askToken();
  if (!token) {
    out.textContent = 'Not saved: no admin token given.';
    return;
  }
  out.textContent = 'Saving…';
  try {
    const { def, etag } = await api.putRuleSet(editor.edited, editor.etag, token);
    editor.markSaved(def, etag);
    byId('ruleset-version').textContent = `v${def.version}`;
    savedHere.push({ id: def.id, version: def.version, savedAt: new Date().toISOString() });
    edited();
    renderRules();
    renderSavedVersion(def.id, def.version);
    void renderVersions();
    out.textContent = `Saved ${def.id} as version ${def.version}.`;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 401) sessionStorage.removeItem(TOKEN_KEY);
    if (e.code === 'invalid-ruleset') setFieldErrors(e.errors);
    out.textContent =
      e.missing && e.code !== 'unknown-ruleset'
        ? `Saving needs PUT /v1/rulesets/{id}, which this service does not offer yet (${e.status}). Export the YAML instead.`
        : e.status === 401
          ? 'Wrong admin token: the service did not accept it. It has been forgotten; press Save again to enter the right one.'
          : e.status === 403
            ? 'This admin token may not save rule sets. Ask for a token with write access.'
            : e.status === 412
              ? `Someone saved this set since you loaded it (${e.detail}). Export your YAML, reload, and apply your edits again.`
              : `Not saved: ${e.detail} (${e.code}).`;
  }
}

/**
 * What saving the set does beyond itself, in words, or undefined when it only changes itself:
 * `default` cleans for every client that names no set and every host no other set claims; a set
 * other sets extend changes them too.
 */
function saveEffect(id: string): string | undefined {
  const children = allSets.filter((s) => s.extends === id).map((s) => s.id);
  const effects: string[] = [];
  if (id === 'default') effects.push('every request that names no rule set, and every host no other set claims, is cleaned with it at once');
  if (children.length === 1) effects.push(`the set that extends it (${children[0]}) changes with it`);
  if (children.length > 1) effects.push(`the sets that extend it (${children.join(', ')}) change with it`);
  if (!effects.length) return undefined;
  return `Save "${id}"? It is not only yours: ${effects.join('; and ')}.`;
}

/** The version the save answered with, shown at once: the list below may still be reading. */
function renderSavedVersion(id: string, version: number): void {
  const el = byId('versions');
  const rest = el.textContent?.replace(/^Saved versions: /, '').replace(/ \(current\)/g, '') ?? '';
  el.textContent = `Saved versions: v${version} (current) ${new Date().toISOString().slice(0, 16).replace('T', ' ')}${rest && !rest.includes(`v${version} `) ? `, ${rest}` : ''}`;
  el.dataset.set = id;
}

function exportYaml(): void {
  if (!editor) return;
  const blob = new Blob([toYaml(editor.edited)], { type: 'application/yaml' });
  const a = h('a', { href: URL.createObjectURL(blob), download: `${editor.edited.id}.yaml` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---------------------------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------------------------

function loadCorpus(text: string): void {
  const { docs, pages, errors } = parseCorpus(text);
  corpus = docs;
  corpusPages = pages;
  const select = byId<HTMLSelectElement>('corpus-doc');
  const count = docs.length + pages.length;
  select.replaceChildren(
    h('option', { value: '' }, count ? `(${docs.length} documents, ${pages.length} pages)` : '(upload a corpus below)'),
    ...pages.map((p) => h('option', { value: `page:${p.id}` }, `${p.id} (page)`)),
    ...docs.map((d) => h('option', { value: d.id }, d.id)),
  );
  select.disabled = count === 0;
  const withPages = docs.filter((d) => d.html !== undefined).length;
  byId('corpus-pages-row').hidden = withPages === 0;
  byId<HTMLInputElement>('corpus-pages').checked = withPages > 0 && withPages === docs.length;
  byId<HTMLButtonElement>('corpus-run').disabled = docs.length === 0;
  const gold = docs.filter((d) => 'gold' in d).length;
  byId('corpus-info').textContent =
    `${docs.length} documents loaded (${gold} with gold text, ${docs.length - gold} with snippets)${pages.length ? `, ${pages.length} pages to look at` : ''}.` +
    (errors.length ? ` ${errors.length} lines refused: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? '; …' : ''}` : '');
}

function metricRows(run: CorpusRun): HTMLElement {
  const rows: HTMLElement[] = [];
  const add = (name: string, b: number | undefined, a: number | undefined) => {
    const delta = a !== undefined && b !== undefined ? a - b : undefined;
    rows.push(
      h(
        'tr',
        { 'data-metric': name },
        h('th', { scope: 'row' }, name),
        h('td', {}, pct(b)),
        h('td', { 'data-testid': `after-${name}` }, pct(a)),
        h(
          'td',
          { class: delta === undefined || Math.abs(delta) < 5e-4 ? '' : delta < 0 ? 'worse' : 'better' },
          delta === undefined ? '–' : `${delta >= 0 ? '+' : '−'}${(Math.abs(delta) * 100).toFixed(1)} pt`,
        ),
      ),
    );
  };
  const b = run.before.score;
  const a = run.after.score;
  if (b.shingle || a.shingle) {
    add('shingle precision', b.shingle?.precision, a.shingle?.precision);
    add('shingle recall', b.shingle?.recall, a.shingle?.recall);
    add('shingle F1', b.shingle?.f1, a.shingle?.f1);
  }
  if (b.snippets || a.snippets) {
    add('snippet precision', b.snippets?.precision, a.snippets?.precision);
    add('snippet recall', b.snippets?.recall, a.snippets?.recall);
    add('snippet F1', b.snippets?.f1, a.snippets?.f1);
  }
  return h(
    'table',
    { class: 'metrics', 'data-testid': 'metrics' },
    h('caption', {}, `Scores (as score.mjs) of the saved set v${run.before.version} and the edited set`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'metric'),
        h('th', { scope: 'col' }, 'saved'),
        h('th', { scope: 'col' }, 'edited'),
        h('th', { scope: 'col' }, 'change'),
      ),
    ),
    h('tbody', {}, ...rows),
  );
}

function renderRun(run: CorpusRun): void {
  const out = byId('corpus-results');
  const after = new Map(run.after.score.perDoc.map((d) => [d.id, d]));
  const pairs = run.before.score.perDoc.map((d) => ({ id: d.id, before: d.f1, after: after.get(d.id)?.f1 ?? 0 }));
  // Half a point of F1: smaller moves are shingle noise, not a change a person should chase.
  const worse = pairs.filter((p) => p.after < p.before - 0.005).sort((x, y) => x.after - x.before - (y.after - y.before));
  // Rules whose hits changed first (largest change on top): they are what the edit did.
  const hitsOf = (m: Map<string, { hits: number }>, id: string) => m.get(id)?.hits ?? 0;
  const change = (id: string) => Math.abs(hitsOf(run.after.rules, id) - hitsOf(run.before.rules, id));
  const ruleIds = [...new Set([...run.before.rules.keys(), ...run.after.rules.keys()])].sort(
    (x, y) => change(y) - change(x) || hitsOf(run.after.rules, y) - hitsOf(run.after.rules, x) || x.localeCompare(y),
  );
  const failures = [...run.before.failures, ...run.after.failures];
  out.replaceChildren(
    ...[
      h(
        'p',
        { class: 'muted' },
        run.via === 'evaluate'
          ? 'Scored by the service (POST /v1/rulesets/{id}/evaluate).'
          : run.via === 'pages'
            ? 'The pages (html) cleaned through /v1/clean/batch and scored in the browser with the score.mjs metrics.'
            : 'Cleaned through /v1/clean/batch and scored in the browser with the score.mjs metrics.',
      ),
      failures.length ? h('p', { class: 'errors' }, `${failures.length} documents failed: ${failures.slice(0, 3).join('; ')}`) : null,
      metricRows(run),
      h(
        'div',
        { class: 'grid2' },
        h(
          'div',
          {},
          h('h3', {}, `Documents that got worse (${worse.length})`),
          worse.length
            ? h(
                'ol',
                { class: 'worse', 'data-testid': 'worse' },
                ...worse
                  .slice(0, 50)
                  .map((p) =>
                    h(
                      'li',
                      {},
                      h('button', { type: 'button', class: 'link', onclick: () => openDoc(p.id) }, p.id),
                      ` F1 ${p.before.toFixed(3)} → ${p.after.toFixed(3)}`,
                    ),
                  ),
              )
            : h('p', { 'data-testid': 'worse' }, 'None: no document lost more than half a point of F1.'),
          h('h3', {}, 'Per-rule hits'),
          h(
            'div',
            { class: 'scroll' },
            h(
              'table',
              { class: 'hits-table', 'data-testid': 'rule-hits' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, 'rule'),
                  h('th', { scope: 'col' }, 'category'),
                  h('th', { scope: 'col' }, 'hits saved'),
                  h('th', { scope: 'col' }, 'hits edited'),
                  h('th', { scope: 'col' }, 'chars edited'),
                ),
              ),
              h(
                'tbody',
                {},
                ...ruleIds.map((id) => {
                  const b = run.before.rules.get(id);
                  const a = run.after.rules.get(id);
                  return h(
                    'tr',
                    { class: (b?.hits ?? 0) !== (a?.hits ?? 0) ? 'changed' : '' },
                    h('th', { scope: 'row' }, id),
                    h('td', {}, (a ?? b)!.category),
                    h('td', {}, String(b?.hits ?? 0)),
                    h('td', {}, String(a?.hits ?? 0)),
                    h('td', {}, num(a?.chars ?? 0)),
                  );
                }),
              ),
            ),
          ),
        ),
        h(
          'div',
          {},
          h('h3', {}, 'Removed characters per category'),
          svg(categoryChart(run.before.categories, run.after.categories)),
          h('h3', {}, 'F1 per document'),
          svg(f1Chart(pairs)),
        ),
      ),
    ].filter((x): x is HTMLElement => x !== null),
  );
}

function svg(markup: string): HTMLElement {
  const fig = h('figure', { class: 'chart-box' });
  // The SVG is built from escaped strings (charts.ts): ids and categories cannot inject markup.
  fig.innerHTML = markup;
  return fig;
}

function openDoc(id: string): void {
  const select = byId<HTMLSelectElement>('corpus-doc');
  select.value = id;
  const doc = corpus.find((d) => d.id === id);
  if (doc) setDocument(doc.text);
  byId('doc-panel').focus();
}

async function runWholeCorpus(): Promise<void> {
  if (!editor || !corpus.length) return;
  runAbort?.abort();
  runAbort = new AbortController();
  const progress = byId<HTMLProgressElement>('corpus-progress');
  const button = byId<HTMLButtonElement>('corpus-run');
  progress.hidden = false;
  progress.value = 0;
  button.disabled = true;
  status(`Running ${corpus.length} documents through the saved and the edited set…`);
  try {
    const run = await runCorpus(
      corpus,
      editor.saved,
      editor.overlay(),
      (done, total) => {
        progress.value = done / total;
      },
      runAbort.signal,
      byId<HTMLInputElement>('corpus-pages').checked,
    );
    renderRun(run);
    status(`Corpus run done: ${corpus.length} documents.`);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'invalid-ruleset') setFieldErrors(e.errors);
    byId('corpus-results').replaceChildren(h('p', { class: 'errors', role: 'alert' }, `The corpus run failed: ${(e as Error).message}`));
    status('Corpus run failed.');
  } finally {
    progress.hidden = true;
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

async function start(): Promise<void> {
  const style = document.createElement('style');
  style.textContent = categoryCss([]);
  document.head.append(style);
  wireDocumentView();
  renderDocument();
  byId('rule-filter').addEventListener('input', applyFilter);
  byId('rule-has-hits').addEventListener('change', applyFilter);
  byId('revert').addEventListener('click', () => {
    editor?.revert();
    fieldErrors = [];
    renderRules();
    edited();
  });
  byId('save').addEventListener('click', () => void save());
  byId('export').addEventListener('click', exportYaml);
  byId('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    byId('save-status').textContent = 'The admin token is forgotten.';
  });
  byId('corpus-run').addEventListener('click', () => void runWholeCorpus());
  byId<HTMLInputElement>('corpus-file').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) loadCorpus(await file.text());
  });
  byId('corpus-load').addEventListener('click', () => loadCorpus(byId<HTMLTextAreaElement>('corpus-text').value));

  const select = byId<HTMLSelectElement>('ruleset-select');
  try {
    const sets = await api.listRuleSets();
    allSets = sets;
    select.replaceChildren(...sets.map((s) => h('option', { value: s.id }, `${s.id}${s.description ? '' : ''}`)));
    const wanted = new URLSearchParams(location.search).get('ruleset');
    select.value = sets.some((s) => s.id === wanted) ? wanted! : sets.some((s) => s.id === 'default') ? 'default' : (sets[0]?.id ?? '');
    select.addEventListener('change', () => {
      if (editor?.dirty() && !confirm('Discard the edits to this rule set?')) {
        select.value = editor.saved.id;
        return;
      }
      void loadRuleSet(select.value);
    });
    if (select.value) await loadRuleSet(select.value);
    else status('The service has no rule sets.');
  } catch (e) {
    status(`Could not load the rule sets: ${(e as Error).message}`);
  }
  document.body.dataset.ready = 'true';
}

void start();
