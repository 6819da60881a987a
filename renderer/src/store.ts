import { create } from 'zustand';
import type { Health, LogLine, ServerStatus, StreamSummary, TallyEvent } from '../../app/contract';

const HEALTH_SAMPLES = 60;
const LOG_LINES = 1000;
const BITRATE_SAMPLES = 30;
/** About 60 s of per-stream health (the server sends streams every second). */
const HISTORY_SAMPLES = 60;

/** Recent health of one stream, oldest first, for the stream page's charts. */
export interface StreamHistory {
  kbps: number[];
  fps: number[];
  gopS: number[];
  driftMs: number[];
  /** Frames dropped in each one-second sample (the server counts them since the publish began). */
  dropped: number[];
  droppedTotal: number;
}

const push = (list: number[] | undefined, value: number) => [...(list ?? []), value].slice(-HISTORY_SAMPLES);

export interface TallyState {
  status?: ServerStatus;
  health: Health[];
  streams: StreamSummary[];
  /** Recent inbound bitrates per stream id, for sparklines. */
  bitrates: Record<string, number[]>;
  /** About 60 s of health per stream id (kept here so it survives page changes). */
  history: Record<string, StreamHistory>;
  logs: LogLine[];
  connected: boolean;
  apply(event: TallyEvent): void;
  setStatus(status: ServerStatus): void;
  setStreams(streams: StreamSummary[]): void;
  setLogs(lines: LogLine[]): void;
  setConnected(connected: boolean): void;
}

/** Everything the pages show, fed by backend events (health every second, streams, status, log lines). */
export const useTally = create<TallyState>((set) => ({
  health: [],
  streams: [],
  bitrates: {},
  history: {},
  logs: [],
  connected: true,
  apply: (event) =>
    set((state) => {
      switch (event.type) {
        case 'status':
          return { status: event.status };
        case 'health':
          return { health: [...state.health, event.health].slice(-HEALTH_SAMPLES) };
        case 'streams': {
          const bitrates: Record<string, number[]> = {};
          const history: Record<string, StreamHistory> = {};
          for (const s of event.streams) {
            bitrates[s.id] = [...(state.bitrates[s.id] ?? []), s.inKbps].slice(-BITRATE_SAMPLES);
            const h = state.history[s.id];
            history[s.id] = {
              kbps: push(h?.kbps, s.inKbps),
              fps: push(h?.fps, s.health.fps ?? 0),
              gopS: push(h?.gopS, (s.health.gopMs ?? 0) / 1000),
              driftMs: push(h?.driftMs, Math.abs(s.health.avDriftMs ?? 0)),
              dropped: push(h?.dropped, Math.max(0, s.health.framesDropped - (h?.droppedTotal ?? 0))),
              droppedTotal: s.health.framesDropped,
            };
          }
          return { streams: event.streams, bitrates, history };
        }
        case 'stream-up':
          return { streams: [...state.streams.filter((s) => s.id !== event.stream.id), event.stream] };
        case 'stream-down':
          return { streams: state.streams.filter((s) => s.id !== event.id) };
        case 'log':
          return { logs: [...state.logs, event.line].slice(-LOG_LINES) };
        default:
          return {};
      }
    }),
  setStatus: (status) => set({ status }),
  setStreams: (streams) => set({ streams }),
  setLogs: (logs) => set({ logs }),
  setConnected: (connected) => set({ connected }),
}));
