import { join } from 'node:path';
import { Menu, nativeImage, Tray } from 'electron';
import type { ServerState } from '../app/contract.js';

export interface TrayActions {
  start(): void;
  stop(): void;
  open(): void;
  quit(): void;
}

/** The tray icon: live (red) while serving, idle (grey) otherwise, with Start/Stop/Open/Quit. */
export class AppTray {
  private readonly tray: Tray;

  constructor(
    private readonly resources: string,
    private readonly actions: TrayActions,
  ) {
    this.tray = new Tray(this.icon('idle'));
    this.tray.setToolTip('Tally');
    this.tray.on('click', () => actions.open());
    this.update('stopped');
  }

  update(state: ServerState): void {
    const live = state === 'running';
    this.tray.setImage(this.icon(live ? 'live' : 'idle'));
    this.tray.setToolTip(live ? 'Tally: live' : `Tally: ${state}`);
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: live ? 'Server running' : `Server ${state}`, enabled: false },
        { type: 'separator' },
        { label: 'Start server', enabled: !live && state !== 'starting', click: () => this.actions.start() },
        { label: 'Stop server', enabled: live, click: () => this.actions.stop() },
        { label: 'Open Tally', click: () => this.actions.open() },
        { type: 'separator' },
        { label: 'Quit', click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(kind: 'live' | 'idle') {
    return nativeImage.createFromPath(join(this.resources, 'icons', `tray-${kind}.png`));
  }
}
