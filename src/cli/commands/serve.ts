/** `declutter serve`: the HTTP service, configured from the environment (see README). */
import { setFlagsFromString } from 'node:v8';
import { loadConfig, type Config } from '../../config';

export async function run(argv: string[]): Promise<number> {
  if (argv.length) {
    process.stderr.write('declutter serve: takes no arguments; settings come from the environment (PORT, HOST, DECLUTTER_RULES_DIR, ...)\n');
    return 2;
  }
  const config = loadConfig();
  // The service owns this process, so it may tune the garbage collector for it (a library caller
  // of startServer keeps its own settings). Set before the worker threads start, so their heaps
  // grow the same way. V8 reads the factor at each collection, and the main heap follows it too.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startServer } = require('../../server') as { startServer(config: Config): Promise<unknown> };
  await startServer(config);
  // The server keeps the process alive; the exit code is set on shutdown.
  return 0;
}
