// Keeps a household's page live: a socket opened with its access code hears when something the page shows
// changed, and the page reloads. A code revoked meanwhile closes the socket, and the page reloads to say so.
// The page's own 30-second refresh stays, should the socket not get through.
import { useEffect } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import type { ServerToClientEvents } from '../../../server/live/events.ts';

export function useResidentLive(code: string, onChange: () => void): void {
  useEffect(() => {
    const socket: Socket<ServerToClientEvents> = io('/resident', { auth: { code } });
    socket.on('resident:changed', () => onChange());
    socket.on('disconnect', (reason) => reason === 'io server disconnect' && onChange());
    return () => void socket.close();
  }, [code, onChange]);
}
