/**
 * Where the shared labelled data lives: `../shared` beside the repository (as in CI), or
 * DECLUTTER_SHARED_DIR. Tests never hard-code an absolute path.
 */
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');
export const SHARED_DIR = process.env.DECLUTTER_SHARED_DIR ? resolve(process.env.DECLUTTER_SHARED_DIR) : resolve(REPO_ROOT, '..', 'shared');
export const SEEDS = resolve(SHARED_DIR, 'data', 'seeds.jsonl');
export const AEB_DEV = resolve(SHARED_DIR, 'data', 'dev', 'aeb-dev.jsonl');
export const READABILITY_DEV = resolve(SHARED_DIR, 'data', 'dev', 'readability-dev.jsonl');
export const L3S_GN1 = resolve(SHARED_DIR, 'data', 'train', 'l3s-gn1.jsonl');
export const SCORE_MJS = resolve(SHARED_DIR, 'eval', 'score.mjs');
export const CLI = resolve(REPO_ROOT, 'dist', 'cli.js');
