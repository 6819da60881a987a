import { describe, expect, it } from 'vitest';
import { expandPathTemplate } from './path-template.js';

describe('expandPathTemplate', () => {
  it('fills SRS variables and Go-style date parts', () => {
    const at = new Date(2026, 0, 5, 7, 8, 9, 45);
    const key = { vhost: '__defaultVhost__', app: 'live', stream: 'cam1' };
    expect(expandPathTemplate('[app]/[stream]-[2006][01][02]-[15][04][05].[999]-[timestamp].mp4', key, at)).toBe(
      `live/cam1-20260105-070809.045-${at.getTime()}.mp4`,
    );
    expect(expandPathTemplate('[vhost]/[unknown]/x', key, at)).toBe('__defaultVhost__/[unknown]/x');
  });
});
