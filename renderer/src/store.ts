import { create } from 'zustand';
import type { Health, LogLine, ServerStatus, StreamSummary, TallyEvent } from '../../app/contract';

const HEALTH_SAMPLES = 60;
const LOG_LINES = 1000;
const BITRATE_SAMPLES = 30;

export interface TallyState {
  status?: ServerStatus;
  health: Health[];
  streams: StreamSummary[];
  /** Recent inbound bitrates per stream id, for sparklines. */
  bitrates: Record<string, number[]>;
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
          for (const s of event.streams)
            bitrates[s.id] = [...(state.bitrates[s.id] ?? []), s.inKbps].slice(-BITRATE_SAMPLES);
          return { streams: event.streams, bitrates };
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
