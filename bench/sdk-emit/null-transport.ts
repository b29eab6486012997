/**
 * A transport that takes every message at once (stamping it as the real one
 * does) and keeps nothing: the exporter's whole job minus the socket.
 */
import type { CloseReport, MessageTransport, OutgoingMessage } from '../../src/exporter/index.js';

export class NullTransport implements MessageTransport {
  readonly reachable = true;
  readonly pending = 0;
  sentMessages = 0;
  bytes = 0;
  private records = 0;
  send(m: OutgoingMessage): void {
    m.stamp(this.sentMessages + 1, this.records);
    this.sentMessages++;
    this.records += m.records;
    this.bytes += m.frames[1].byteLength;
    m.done(undefined);
  }
  whenIdle(): Promise<void> {
    return Promise.resolve();
  }
  whenDrained(): Promise<boolean> {
    return Promise.resolve(true);
  }
  close(): CloseReport {
    return { lostRecords: 0, lostMessages: 0, inDoubtRecords: 0, inDoubtMessages: 0 };
  }
}
