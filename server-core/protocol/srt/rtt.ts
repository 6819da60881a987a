/**
 * Round-trip time estimate (draft-sharabayko-srt-01 section 4.10): each ACK/ACKACK pair gives a sample;
 *   RTTVar = 3/4 RTTVar + 1/4 |RTT - sample|,   RTT = 7/8 RTT + 1/8 sample.
 * Starts at RTT 100 ms, RTTVar 50 ms, as libsrt does before its first sample.
 */
export const INITIAL_RTT_MS = 100;
export const INITIAL_RTT_VAR_MS = 50;

export class RttEstimator {
  rttMs = INITIAL_RTT_MS;
  rttVarMs = INITIAL_RTT_VAR_MS;
  samples = 0;

  sample(ms: number): void {
    if (!(ms >= 0)) return;
    if (this.samples === 0) {
      this.rttMs = ms;
      this.rttVarMs = ms / 2;
    } else {
      this.rttVarMs = (3 * this.rttVarMs + Math.abs(this.rttMs - ms)) / 4;
      this.rttMs = (7 * this.rttMs + ms) / 8;
    }
    this.samples++;
  }

  /** Takes the peer's estimate (carried in a full ACK) while we have none of our own. */
  adopt(rttMs: number, rttVarMs: number): void {
    if (this.samples > 0) return;
    this.rttMs = rttMs;
    this.rttVarMs = rttVarMs;
  }
}
