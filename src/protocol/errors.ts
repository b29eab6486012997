/**
 * The one error type of the wire. Callers (the collector's receivers) count and
 * report bad messages by `code`, so every whole-message failure maps to exactly
 * one code; the message text says what was wrong and where, because it ends up in
 * an operator's log next to the sender's topic.
 */
export type ProtocolErrorCode =
  /** Not exactly two frames [topic, payload]. */
  | 'frames'
  /** Topic frame is not system + kind + encoding. */
  | 'topic'
  /** Payload larger than the receiver's limit. */
  | 'size'
  /** Topic names an encoding this build does not decode. */
  | 'encoding'
  /** Pickle payload: refused, never unpickled. */
  | 'pickle'
  /** Payload is not valid JSON. */
  | 'json'
  /** Payload is valid in its encoding but not the expected shape (envelope, binary framing). */
  | 'schema'
  /** More records in one message than the receiver accepts (DecodeLimits.maxEntries). */
  | 'entry_count';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  /** The topic as received (printable form), when it was readable. */
  readonly topic?: string;

  constructor(code: ProtocolErrorCode, message: string, topic?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    if (topic !== undefined) this.topic = topic;
  }
}

/** One record of a batch that was dropped; its siblings were kept. */
export interface EntryError {
  /** Position of the record in the batch. */
  index: number;
  /** Where in the record, e.g. `entries[3].severity`. */
  path: string;
  message: string;
}
