/** `/app[/more]/stream.ext?query` as HTTP media URLs address a stream. */
export interface StreamUrl {
  app: string;
  stream: string;
  extension: string;
  query: URLSearchParams;
}

export function parseStreamUrl(rawUrl: string): StreamUrl | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://localhost');
  } catch {
    return undefined;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (slash <= 0 || dot < slash) return undefined;
  return {
    app: path.slice(1, slash),
    stream: path.slice(slash + 1, dot),
    extension: path.slice(dot + 1).toLowerCase(),
    query: url.searchParams,
  };
}
