/**
 * Fault injection for the reliability suite (test/reliability/faults.test.ts): a worker that is
 * handed the document whose id equals DECLUTTER_TEST_CRASH_ID exits at once, as a worker killed by
 * the kernel or a crash in native code would.
 *
 * Why this is safe to ship: it does nothing unless the operator sets that variable at start (no
 * request can switch it on), the id is the operator's choice (a client cannot guess it when it is
 * set by mistake), and what it does is end one worker thread, which the pool replaces: the
 * damage is one document's error line, the very thing the test wants to see handled.
 */
const CRASH_ID = process.env.DECLUTTER_TEST_CRASH_ID?.trim() || undefined;

/** 70 (EX_SOFTWARE): an exit code that says "crashed on purpose" in a worker's exit event. */
const CRASH_EXIT_CODE = 70;

export function crashIfAsked(id: unknown): void {
  if (CRASH_ID !== undefined && id === CRASH_ID) process.exit(CRASH_EXIT_CODE);
}
