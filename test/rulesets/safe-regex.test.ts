/** The safe-regex suite on the RE2 this process picks: the native addon when installed, re2js otherwise. */
import { createRequire } from 'node:module';
import { re2Implementation } from '../../src/rulesets/safe-regex';
import { describeSafeRegex } from './safe-regex.cases';

function nativeInstalled(): boolean {
  try {
    createRequire(__filename).resolve('re2');
    return true;
  } catch {
    return false;
  }
}

it('picks the native re2 when it is installed (npm install re2), re2js otherwise', () => {
  expect(re2Implementation()).toBe(nativeInstalled() ? 'native' : 're2js');
});

describeSafeRegex();
