/** Safe repeats of changes: the Idempotency-Key header, and the key a final action's form carries. */
export { repeatedResult } from './context';
export { finalAction, FORM_FIELD } from './form-key';
