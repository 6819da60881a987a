import { buildIceLiteAnswer, type IceLiteAnswerOptions } from './ice-lite-answer.js';
import { type NegotiatedOffer, type NegotiateOptions, negotiateOffer } from './offer-negotiation.js';
import { parseSdp, serializeSdp } from './session-description.js';

/**
 * A WHIP/WHEP endpoint's whole SDP step: parse and check the offer, choose the codecs, build the
 * ICE-lite answer. Throws SdpError with a plain reason (the endpoint's 400 body).
 */
export function answerWebRtcOffer(
  offerText: string,
  options: NegotiateOptions & IceLiteAnswerOptions,
): { answer: string; negotiated: NegotiatedOffer } {
  const offer = parseSdp(offerText);
  const negotiated = negotiateOffer(offer, options);
  return { answer: serializeSdp(buildIceLiteAnswer(offer, negotiated, options)), negotiated };
}
