/** ice-char (RFC 8839 5.4): ALPHA / DIGIT / "+" / "/"; ufrag 4..256, pwd 22..256 characters. */
export const ICE_UFRAG = /^[A-Za-z0-9+/]{4,256}$/;
export const ICE_PWD = /^[A-Za-z0-9+/]{22,256}$/;
