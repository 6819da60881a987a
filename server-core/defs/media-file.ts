/**
 * A file an output (HLS, DASH) hands to the HTTP media listener: the meeting point of outputs and servers,
 * which do not import each other.
 */
export interface MediaFile {
  body: Buffer | string;
  contentType: string;
  /** Playlists change every segment; segments never change. */
  cacheControl: string;
}

/** Looks up `fileName` (e.g. `livestream.m3u8`, `livestream-3.ts`) of a stream of `app`. */
export interface MediaFileProvider {
  file(app: string, fileName: string): MediaFile | undefined;
}
