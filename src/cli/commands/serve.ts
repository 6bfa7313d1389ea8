/** `declutter serve`: the HTTP service, configured from the environment (see README). */
export async function run(argv: string[]): Promise<number> {
  if (argv.length) {
    process.stderr.write('declutter serve: takes no arguments; settings come from the environment (PORT, HOST, DECLUTTER_RULES_DIR, ...)\n');
    return 2;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startServer } = require('../../server') as { startServer(): Promise<unknown> };
  await startServer();
  // The server keeps the process alive; the exit code is set on shutdown.
  return 0;
}
