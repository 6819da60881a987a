/**
 * A file an output (HLS, DASH) hands to the HTTP media listener: the meeting point of outputs and servers,
 * which do not import each other.
 */
export interface MediaFile {
  body: Buffer | string;
  contentType: string;
  /** Playlists change every segment; segments never change. */
  cacheControl: string;
  /** HTTP status; 200 unless set (LL-HLS answers 400 to a request too far ahead, 503 when a wait runs out). */
  status?: number;
}

/**
 * What a provider answers: a file now, or (LL-HLS blocking playlist reload, a preload-hinted part) one it sends
 * when it exists. A pending answer always settles within the provider's bounded wait.
 */
export type MediaFileAnswer = MediaFile | Promise<MediaFile>;

/** Looks up `fileName` (e.g. `livestream.m3u8`, `livestream-3.ts`) of a stream of `app`; `query` for LL-HLS. */
export interface MediaFileProvider {
  file(app: string, fileName: string, query: URLSearchParams): MediaFileAnswer | undefined;
}
