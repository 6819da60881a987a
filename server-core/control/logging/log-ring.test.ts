import { describe, expect, it } from 'vitest';
import { LogRing } from './log-ring.js';

const line = (time: number, level: string, cid: string | undefined, msg: string) =>
  `${JSON.stringify({ time: new Date(time).toISOString(), level, cid, msg })}\n`;

describe('LogRing', () => {
  it('finds one client story by context id, time and level, across split writes', () => {
    const ring = new LogRing(100);
    const text = [
      line(1000, 'info', 'a', 'connect'),
      line(2000, 'debug', 'b', 'noise'),
      line(3000, 'warn', 'a', 'slow'),
      line(4000, 'info', 'a', 'closed'),
    ].join('');
    ring.write(text.slice(0, 37));
    ring.write(text.slice(37));
    expect(ring.query({ cid: 'a' }).map((e) => e.msg)).toEqual(['connect', 'slow', 'closed']);
    expect(ring.query({ cid: 'a', since: 2500 }).map((e) => e.msg)).toEqual(['slow', 'closed']);
    expect(ring.query({ level: 'warn' }).map((e) => e.msg)).toEqual(['slow']);
  });

  it('keeps only the newest entries', () => {
    const ring = new LogRing(3);
    for (let i = 0; i < 10; i++) ring.write(line(i, 'info', 'c', `m${i}`));
    expect(ring.query().map((e) => e.msg)).toEqual(['m7', 'm8', 'm9']);
  });
});
