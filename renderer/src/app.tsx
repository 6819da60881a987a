import { useEffect, useState } from 'react';
import { useBackend } from './backend-context';
import { ConnectPage } from './pages/connect';
import { DestinationsPage } from './pages/destinations';
import { DevicesPage } from './pages/devices';
import { HomePage } from './pages/home';
import { LogsPage } from './pages/logs';
import { MultiviewPage } from './pages/multiview';
import { RecordingPage } from './pages/recording';
import { SettingsPage } from './pages/settings';
import { StreamsPage } from './pages/streams';
import { TranscodePage } from './pages/transcode';
import { VirtualLivePage } from './pages/virtual-live';
import { useTally } from './store';

const PAGES = [
  { id: 'home', label: 'Dashboard' },
  { id: 'connect', label: 'Connect OBS' },
  { id: 'streams', label: 'Streams' },
  { id: 'multiview', label: 'Multiview' },
  { id: 'devices', label: 'Devices' },
  { id: 'recording', label: 'Recording' },
  { id: 'destinations', label: 'Destinations' },
  { id: 'virtual-live', label: 'Virtual live' },
  { id: 'transcode', label: 'Transcode' },
  { id: 'settings', label: 'Settings' },
  { id: 'logs', label: 'Logs' },
] as const;
type PageId = (typeof PAGES)[number]['id'];

/** Hash routes (#/streams/<id>) work from file:// in Electron and under /console/ alike. */
function readRoute(): { page: PageId; param?: string } {
  const [, page, param] = location.hash.split('/');
  const known = PAGES.some((p) => p.id === page);
  return { page: known ? (page as PageId) : 'home', param };
}

export function App() {
  const backend = useBackend();
  const [route, setRoute] = useState(readRoute);
  const status = useTally((s) => s.status);
  const connected = useTally((s) => s.connected);
  const streams = useTally((s) => s.streams.length);

  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    const { apply, setStatus, setStreams, setConnected } = useTally.getState();
    const offEvents = backend.onEvent(apply);
    const offConnection = backend.onConnection((up) => {
      setConnected(up);
      if (up) {
        void backend.call('getStatus').then(setStatus);
        void backend.call('listStreams').then(setStreams);
      }
    });
    void backend.call('getStatus').then(setStatus);
    void backend.call('listStreams').then(setStreams);
    return () => {
      offEvents();
      offConnection();
    };
  }, [backend]);

  const [theme, setTheme] = useTheme();

  const go = (page: PageId, param?: string) => {
    location.hash = `/${page}${param ? `/${param}` : ''}`;
  };

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <img src="./icon.svg" alt="" width={28} height={28} />
          <span>Tally</span>
        </div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={route.page === p.id ? 'page' : undefined}>
                {p.label}
                {p.id === 'streams' && streams > 0 && <span className="badge">{streams}</span>}
              </a>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="theme-toggle"
          aria-label={`Theme: ${theme}. Change theme`}
          onClick={() => setTheme(theme === 'system' ? 'light' : theme === 'light' ? 'dark' : 'system')}
        >
          {theme === 'light' ? '☀ Light' : theme === 'dark' ? '☾ Dark' : '◐ System theme'}
        </button>
        <div className={`state-pill state-${status?.state ?? 'stopped'}`} aria-live="polite">
          <span className="dot" />
          {status?.state === 'running' ? 'Server running' : `Server ${status?.state ?? 'connecting'}`}
        </div>
      </nav>
      <main className="content">
        {!connected && (
          <div className="banner" role="status">
            Connection to the server lost. Reconnecting…
          </div>
        )}
        {route.page === 'home' && <HomePage />}
        {route.page === 'connect' && <ConnectPage />}
        {route.page === 'streams' && <StreamsPage selected={route.param} onSelect={(id) => go('streams', id)} />}
        {route.page === 'multiview' && <MultiviewPage onOpen={(id) => go('streams', id)} />}
        {route.page === 'devices' && <DevicesPage onOpen={(id) => go('streams', id)} />}
        {route.page === 'recording' && <RecordingPage />}
        {route.page === 'destinations' && <DestinationsPage />}
        {route.page === 'virtual-live' && <VirtualLivePage />}
        {route.page === 'transcode' && <TranscodePage />}
        {route.page === 'settings' && <SettingsPage />}
        {route.page === 'logs' && <LogsPage />}
      </main>
    </div>
  );
}

type Theme = 'system' | 'light' | 'dark';
const THEME_KEY = 'tally.theme';

/** Light, dark or the system's choice, kept per machine; `<html data-theme>` drives the CSS variables. */
function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => {
    const saved = localStorage.getItem(THEME_KEY);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  });
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
  return [theme, setTheme];
}
