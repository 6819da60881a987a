import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { pickBackend } from './backend/pick-backend';
import { BackendContext } from './backend-context';
import './styles.css';

const backend = pickBackend();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BackendContext.Provider value={backend}>
        <App />
      </BackendContext.Provider>
    </StrictMode>,
  );
}
