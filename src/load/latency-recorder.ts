import { encodeHistogram, newLatencyHistogram, toRecordableUs, type Histogram } from './histogram.js';
import type { IntervalSnapshot } from './protocol.js';

/** Counts one load unit's responses and errors over an interval; snapshot() hands them over and restarts. */
export class Recorder {
  private hist: Histogram = newLatencyHistogram();
  private service: Histogram | null;
  private requests = 0;
  private connectionErrors = 0;
  private closedNoResponse = 0;
  private discarded = 0;
  private timeouts = 0;
  private non2xx = 0;
  private bytes = 0;
  private codes = new Map<number, number>();

  constructor(withServiceTime = false) {
    this.service = withServiceTime ? newLatencyHistogram() : null;
  }

  response(status: number, bytes: number, latencyUs: number, serviceUs?: number): void {
    this.requests++;
    this.bytes += bytes;
    if (status < 200 || status > 299) this.non2xx++;
    this.codes.set(status, (this.codes.get(status) ?? 0) + 1);
    this.hist.recordValue(toRecordableUs(latencyUs));
    if (this.service && serviceUs !== undefined) this.service.recordValue(toRecordableUs(serviceUs));
  }

  connectionError(count = 1): void {
    this.connectionErrors += count;
  }

  closedWithoutResponse(count = 1): void {
    this.closedNoResponse += count;
  }

  discardedAtClose(count: number): void {
    this.discarded += count;
  }

  timeout(count = 1): void {
    this.timeouts += count;
  }

  snapshot(): IntervalSnapshot {
    const statusCodes: Record<string, number> = {};
    for (const [code, n] of this.codes) statusCodes[String(code)] = n;
    const snap: IntervalSnapshot = {
      requests: this.requests,
      connectionErrors: this.connectionErrors,
      closedWithoutResponse: this.closedNoResponse,
      discardedAtClose: this.discarded,
      timeouts: this.timeouts,
      non2xx: this.non2xx,
      statusCodes,
      bytes: this.bytes,
      histogram: this.hist.totalCount > 0 ? encodeHistogram(this.hist) : '',
      serviceHistogram: this.service && this.service.totalCount > 0 ? encodeHistogram(this.service) : '',
    };
    this.hist.reset();
    this.service?.reset();
    this.requests = this.connectionErrors = this.closedNoResponse = this.discarded = this.timeouts = this.non2xx = this.bytes = 0;
    this.codes.clear();
    return snap;
  }
}
