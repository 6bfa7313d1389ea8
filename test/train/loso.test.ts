import { join } from 'node:path';
import { readRuleSetFile } from '../../src/rulesets/load';
import { readSet } from '../../src/train/data';
import { formatLoso, leaveOneSourceOut, prepareSources, sampleDocs } from '../../src/train/loso';
import { fitScorer } from '../../src/train/train';
import { PAGE_FEATURES } from '../../src/engine/features/page-threshold';
import { AEB_DEV, READABILITY_DEV, REPO_ROOT } from '../paths';

describe('sampleDocs', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  it('takes the same fixed sample for a seed, in set order, and everything when asked for more', () => {
    const a = sampleDocs(items, 10, 1);
    expect(a).toHaveLength(10);
    expect(sampleDocs(items, 10, 1)).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(sampleDocs(items, 10, 2)).not.toEqual(a);
    expect(sampleDocs(items, 0, 1)).toBe(items);
    expect(sampleDocs(items, 80, 1)).toBe(items);
  });
});

describe('leaveOneSourceOut', () => {
  const base = readRuleSetFile(join(REPO_ROOT, 'rules', 'default.yaml'));
  const sources = [
    { name: 'aeb-dev', docs: sampleDocs(readSet(AEB_DEV), 12, 1) },
    { name: 'readability-dev', docs: sampleDocs(readSet(READABILITY_DEV), 12, 1), weight: 0.5 },
  ];
  const shipped = base.rules.find((r) => r.kind === 'scorer' && r.dom === undefined) as never;
  const rows = leaveOneSourceOut(sources, base, { shipped });

  it('judges every source by a scorer trained without it, beside in-sample and shipped figures', () => {
    expect(rows.map((r) => [r.source, r.docs])).toEqual([
      ['aeb-dev', 12],
      ['readability-dev', 12],
    ]);
    for (const r of rows) {
      // Pages of another source still come out mostly right; the scorer saw these very pages.
      expect(r.heldOut.f1).toBeGreaterThan(0.6);
      expect(r.inSample.f1).toBeGreaterThan(0.75);
      expect(r.shipped!.f1).toBeGreaterThan(0.8);
    }
  });

  it('prints one line a source and a mean that leaves out the sources set apart', () => {
    const lines = formatLoso(rows, new Set(['readability-dev']));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('(apart)');
    expect(formatLoso(rows)).toHaveLength(4);
    expect(formatLoso(rows)[3]).toMatch(/^mean of sources/);
  });

  it("with a threshold for each page, gives the same models' one-threshold figures beside, and names the learnt features only", () => {
    const paged = leaveOneSourceOut(sources, base, { pageThreshold: true });
    const names = new Set(PAGE_FEATURES.map((f) => f.name as string));
    for (const r of paged) {
      expect(r.global).toBeDefined();
      // The one-threshold column is the plain run's held-out figure: the same fitted models.
      expect(r.global!.f1).toBeCloseTo(rows.find((x) => x.source === r.source)!.heldOut.f1, 10);
    }
    expect(formatLoso(paged)[0]).toContain('one threshold');
    const trained = fitScorer(prepareSources(sources, base, {}).flat(), { holdout: 0, seed: 1, pageThreshold: true });
    for (const name of Object.keys(trained.pageThreshold?.features ?? {})) expect(names.has(name)).toBe(true);
  });
});
