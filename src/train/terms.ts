/**
 * Terms of use of the public labelled sets the shipped models learn from, as
 * ../shared/data/train/README.md states them; a model file records them beside the sets that
 * trained it (write.ts), because the weights derive from that data.
 */
const TERMS: Readonly<Record<string, string>> = {
  cleaneval: 'CleanEval (ACL SIGWAC 2007): terms unclear (the task site states none); training and evaluation only',
  cleanportaleval: 'CleanPortalEval (github.com/ppke-nlpg/CleanPortalEval): no licence stated; training and evaluation only',
  dragnet: 'Dragnet data (github.com/seomoz/dragnet_data): AGPL-3.0',
  'l3s-gn1': 'L3S-GN1 (Kohlschütter et al., WSDM 2010): "for your research use only"',
  'readability-dev': "pages of Mozilla Readability's test suite (github.com/mozilla/readability)",
  'aeb-dev': 'pages of the article-extraction-benchmark; terms as its source states them',
};

/** The terms line for a set, by its file name without extension. */
export function termsOf(name: string): string {
  return TERMS[name] ?? 'terms not recorded: see where the set came from';
}
