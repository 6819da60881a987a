export { joinAnnexB, splitAnnexB } from './annexb.js';
export { addEmulationPrevention, removeEmulationPrevention } from './emulation-prevention.js';
export { joinLengthPrefixed, splitLengthPrefixed } from './length-prefixed.js';
