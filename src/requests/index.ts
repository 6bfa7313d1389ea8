/**
 * Reading what a request asks for, one way for every entry: a document (POST /v1/clean, batch
 * lines over HTTP and from `declutter batch`, labelled documents of an evaluation), its rule set
 * and its language. The HTTP and batch layers only turn the refusals into their own shapes.
 */
export { readDocument, type DocumentForm, type DocumentRequest, type ReadDocument, type RequestError } from './document';
export { readLabelledDocuments, type ReadLabelled } from './labelled';
export { chooseRuleSet, isDeferred, type ChosenRuleSet, type ChosenSet, type DeferredRuleSet, type RuleSetChoice, type RuleSetSource } from './ruleset';
export { languageOf, LANGUAGE_TAG } from './language';
export { isPlainObject } from '../plain-object';
export { check, describeFieldErrors, type Checked } from './validate';
export * from './schemas';
