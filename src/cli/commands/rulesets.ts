/**
 * `declutter rulesets import|export DIR [--store URL]`: flags and help in ../specs/rulesets.ts.
 * Moves sets between a rules directory (the file store) and PostgreSQL (DECLUTTER_STORE), for
 * a fleet that moves from shared files to the database, or a backup of the database as files.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { PostgresSetStore } from '../../rulesets/store-postgres';
import { readSetsForImport, writeExport } from '../../rulesets/transfer';
import { CliError, parseArgs } from '../args';
import { rulesets as spec } from '../specs/rulesets';

/** How long to wait for the database before giving up: its connect timeout, with a retry or two. */
const REACH_MS = 5000;

async function openStore(url: string, dir: string): Promise<PostgresSetStore> {
  if (!/^postgres(?:ql)?:\/\/./.test(url)) throw new CliError(`--store must be a PostgreSQL URL (postgres://user:password@host:5432/db), not "${url}"`);
  // No seeding: an import fills an empty store with exactly what it is given.
  const store = await PostgresSetStore.open(url, { rulesDir: dir, seed: false });
  if (!(await store.ready(REACH_MS))) {
    const { where, error } = store.health();
    await store.close();
    throw new CliError(`cannot reach the store ${where}: ${error}`, 1);
  }
  return store;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  const [action, dirArg, ...extra] = args.positional;
  if (action !== 'import' && action !== 'export') throw new CliError('give import or export (see: declutter rulesets --help)');
  if (!dirArg) throw new CliError(`give the rules directory to ${action} ${action === 'import' ? 'from' : 'to'}`);
  if (extra.length) throw new CliError(`one directory only, not ${[dirArg, ...extra].join(' ')}`);
  const url = args.values['--store'] ?? process.env.DECLUTTER_STORE;
  if (!url) throw new CliError('give --store postgres://... (or set DECLUTTER_STORE)');
  const dir = resolve(dirArg);
  if (action === 'import' && !(existsSync(dir) && statSync(dir).isDirectory())) throw new CliError(`not a directory: ${dir}`, 1);

  const store = await openStore(url, dir);
  try {
    if (action === 'import') {
      const { sets, refused } = readSetsForImport(dir);
      for (const o of await store.importSets(sets)) process.stdout.write(`${o.outcome} ${o.id}@${o.version}\n`);
      for (const r of refused) process.stderr.write(`declutter rulesets: refused ${r.file}: ${r.message}\n`);
      return refused.length ? 1 : 0;
    }
    let failed = 0;
    for (const o of writeExport(dir, await store.exportSets())) {
      if ('refused' in o) {
        failed++;
        process.stderr.write(`declutter rulesets: refused ${o.id}: ${o.refused}\n`);
      } else {
        process.stdout.write(`${o.outcome} ${o.id}${o.version === undefined ? '' : `@${o.version}`}\n`);
      }
    }
    return failed ? 1 : 0;
  } finally {
    await store.close();
  }
}
