/**
 * Frees bytes that came from a worker as soon as they have been written, instead of when a
 * collection finds them dead. An answer's or a batch line's bytes come from the worker as an
 * ArrayBuffer of their own (~100 KB for a full result of 10 KB text) whose memory V8 counts
 * against the heap's global limit until a collection finds it dead; a few hundred of them in
 * flight kept that limit so close that V8 marked the old generation without pause (a full
 * collection every ~0.7 s at any request rate, and no scavenges).
 */
import { MessageChannel } from 'node:worker_threads';

/** A port whose other end is closed: what is transferred to it is dropped, its memory freed at once. */
const sink = (() => {
  const { port1, port2 } = new MessageChannel();
  port2.close();
  port1.unref();
  return port1;
})();

/**
 * Frees (detaches) `buffer` at once. Only for bytes nothing else will read: an ArrayBuffer of
 * their own (never a slice of Node's shared Buffer pool, which other Buffers use), and only once
 * their write has completed (the stream's write callback without an error, a response's 'finish').
 */
export function freeNow(buffer: ArrayBuffer): void {
  sink.postMessage(null, [buffer]);
}
