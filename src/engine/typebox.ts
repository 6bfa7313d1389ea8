/**
 * TypeBox's `Type` builder, loaded on first use. TypeBox is some 200 module files, two thirds of
 * what `declutter clean` loaded; its schemas are needed only to validate a rule set or to publish
 * the OpenAPI document, which a start from rules checked at build time (src/rulesets/prechecked.ts)
 * does neither. So the engine builds schemas in functions and getters, through this stand-in.
 */
type Builder = typeof import('@sinclair/typebox').Type;

let builder: Builder | undefined;

export const Type: Builder = new Proxy({} as Builder, {
  get(_target, key) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    builder ??= (require('@sinclair/typebox') as typeof import('@sinclair/typebox')).Type;
    const value: unknown = Reflect.get(builder, key, builder);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(builder) : value;
  },
});
