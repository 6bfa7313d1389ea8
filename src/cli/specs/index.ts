/**
 * Every command's flags and help, apart from the commands themselves: `declutter --help` and
 * `declutter <command> --help` read these without loading a command (and the pool or server it needs).
 */
import type { CommandSpec } from '../args';
import { batch } from './batch';
import { clean } from './clean';
import { evalSpec } from './eval';
import { rulesets } from './rulesets';
import { serve } from './serve';
import { train } from './train';

export const SPECS: Record<string, CommandSpec> = { clean, batch, serve, eval: evalSpec, train, rulesets };
