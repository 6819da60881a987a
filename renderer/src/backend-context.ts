import { createContext, useContext } from 'react';
import type { Backend } from './backend/backend';

export const BackendContext = createContext<Backend | undefined>(undefined);

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('no backend');
  return backend;
}
