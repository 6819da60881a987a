import type { ApiRouter } from './api-router.js';

/** What the API needs of forwarding and edge pulls (outputs/forward and servers/edge implement it; core wires). */
export interface RestreamControl {
  /** Destinations (keys masked) with the pushes going to each now. */
  forward(): object[];
  /** Streams pulled from the origin now (edge mode), or undefined when this server is not an edge. */
  edge(): { origin: string; pulls: object[] } | undefined;
}

/** Read-only status of multistream destinations and edge pulls; both are configured in `forward` and `edge`. */
export function registerRestreamApi(router: ApiRouter, control: RestreamControl): void {
  router.add('GET', '/api/v1/forward', () => ({ destinations: control.forward() }));
  router.add('GET', '/api/v1/edge', () => {
    const edge = control.edge();
    return edge ? { enabled: true, ...edge } : { enabled: false, origin: '', pulls: [] };
  });
}
