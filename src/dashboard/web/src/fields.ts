/**
 * The fields the rule editor offers per kind: the ones people tune (phrases, patterns,
 * thresholds). Anything else is edited in the rule's YAML box. Descriptions echo the schema's.
 */
export type FieldSpec =
  | { name: string; type: 'lines'; label: string; help?: string }
  | { name: string; type: 'pattern'; label: string; help?: string }
  | { name: string; type: 'text'; label: string; help?: string }
  | { name: string; type: 'choice'; label: string; options: string[]; help?: string }
  | { name: string; type: 'integer' | 'number'; label: string; min?: number; max?: number; step?: number; help?: string };

const share = (name: string, label: string, help: string): FieldSpec => ({ name, type: 'number', label, min: 0, max: 1, step: 0.01, help });

export const COMMON_FIELDS: FieldSpec[] = [
  { name: 'category', type: 'text', label: 'Category' },
  { name: 'description', type: 'text', label: 'Description (the reason given for each removal)' },
];

export const KIND_FIELDS: Record<string, FieldSpec[]> = {
  phrase: [
    {
      name: 'phrases',
      type: 'lines',
      label: 'Phrases (one a line)',
      help: 'A block equal to one of these (case, spacing and punctuation ignored) is removed.',
    },
  ],
  pattern: [
    { name: 'pattern', type: 'pattern', label: 'Pattern (JavaScript regular expression; several lines are alternatives, joined with |)' },
    { name: 'scope', type: 'choice', label: 'Scope', options: ['inline', 'block'], help: 'inline removes the match; block removes the whole block.' },
    { name: 'flags', type: 'text', label: 'Flags (i, m, s, u)' },
    { name: 'maxChars', type: 'integer', label: 'Max characters (block scope)', min: 1 },
  ],
  teaser: [
    { name: 'maxChars', type: 'integer', label: 'Max characters', min: 1 },
    share('maxTopicOverlap', 'Max topic overlap (0–1)', 'A truncated block sharing more of its words with the article stays.'),
  ],
  menu: [
    { name: 'minRun', type: 'integer', label: 'Min run of short lines', min: 2 },
    { name: 'maxWords', type: 'integer', label: 'Max words per line', min: 1 },
    { name: 'maxChars', type: 'integer', label: 'Max characters per line', min: 1 },
    share('maxTopicOverlap', 'Max topic overlap (0–1)', 'A run sharing more of its words with the article stays.'),
  ],
  duplicate: [
    { name: 'minChars', type: 'integer', label: 'Min characters', min: 1 },
    { name: 'maxChars', type: 'integer', label: 'Max characters', min: 1 },
  ],
  selector: [
    { name: 'selector', type: 'pattern', label: 'CSS selector (HTML pages only)', help: 'Elements matching it are removed whole, before any text rule runs.' },
  ],
  subtree: [
    {
      name: 'shape',
      type: 'choice',
      label: 'Shape (HTML pages only)',
      options: ['comments', 'link-list', 'widget'],
      help: 'Elements of this shape inside or after the main content container are removed whole.',
    },
  ],
  markup: [
    {
      name: 'dropContent',
      type: 'lines',
      label: 'Elements removed with their content (one a line)',
      help: 'Default: script, style, template, noscript. Other tags lose only the tag.',
    },
  ],
  scorer: [
    share('threshold', 'Threshold (0–1)', 'Blocks whose article score is below this are removed.'),
    share('runCut', 'Run cut (0–1)', 'Block score above which a block extends the main text.'),
    { name: 'runFloor', type: 'number', label: 'Run floor (words)', min: 1, step: 1 },
    { name: 'window', type: 'integer', label: 'Neighbour window', min: 1, max: 10 },
  ],
};
