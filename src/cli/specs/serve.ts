import type { CommandSpec } from '../args';

export const serve: CommandSpec = {
  name: 'serve',
  summary: 'start the HTTP service',
  synopsis: '',
  about: ['Takes no options: PORT, HOST, DECLUTTER_RULES_DIR, DECLUTTER_WORKERS, ... come from the', 'environment (the README lists them all).'],
  flags: [],
  examples: ['PORT=8080 declutter serve'],
};
