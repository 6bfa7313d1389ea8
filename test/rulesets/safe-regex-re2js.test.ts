/** The safe-regex suite on re2js, as on a default install: the native addon is hidden here. */
import { createRequire } from 'node:module';
import { loadRE2, re2Implementation } from '../../src/rulesets/safe-regex';
import { LinearRegExp } from '../../src/rulesets/re2js-regex';
import { describeSafeRegex } from './safe-regex.cases';

// Hidden before the first pattern compiles (safe-regex picks its RE2 then, once per process). A
// mock only for a module that resolves: on a default install there is nothing to hide.
beforeAll(() => {
  let installed = true;
  try {
    createRequire(__filename).resolve('re2');
  } catch {
    installed = false;
  }
  if (installed)
    jest.doMock('re2', () => {
      throw new Error("Cannot find module 're2'");
    });
});

it('runs user patterns on re2js when the native re2 is not installed', () => {
  expect(re2Implementation()).toBe('re2js');
  expect(loadRE2()).toBe(LinearRegExp);
});

describeSafeRegex();
