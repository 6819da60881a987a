/** Audio Object Types used here (ISO/IEC 14496-3 1.5.1.1, Table 1.17). */
export const AOT_AAC_MAIN = 1;
export const AOT_AAC_LC = 2;
export const AOT_AAC_SSR = 3;
export const AOT_AAC_LTP = 4;
/** SBR: HE-AAC (v1). */
export const AOT_SBR = 5;
export const AOT_ER_AAC_LD = 23;
/** PS: HE-AAC v2. */
export const AOT_PS = 29;
/** Escape: the real type is 32 + the next 6 bits. */
export const AOT_ESCAPE = 31;
export const AOT_ER_AAC_ELD = 39;
export const AOT_USAC = 42;

const NAMES: Record<number, string> = {
  [AOT_AAC_MAIN]: 'Main',
  [AOT_AAC_LC]: 'LC',
  [AOT_AAC_SSR]: 'SSR',
  [AOT_AAC_LTP]: 'LTP',
  [AOT_SBR]: 'HE',
  [AOT_ER_AAC_LD]: 'LD',
  [AOT_PS]: 'HEv2',
  [AOT_ER_AAC_ELD]: 'ELD',
  [AOT_USAC]: 'USAC',
};

/** Profile names as SRS reports them ('LC', 'HE', 'HEv2', 'Main'...), 'Other' for the rest. */
export function aacProfileName(objectType: number): string {
  return NAMES[objectType] ?? 'Other';
}

/** Object types whose specific config is GASpecificConfig (1.6.2.1). */
export const GA_OBJECT_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23]);
