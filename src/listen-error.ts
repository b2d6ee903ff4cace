import { PeacedeskError } from './errors.ts';

/** A failed listen as a typed error naming the setting to change (EADDRINUSE, EACCES, EADDRNOTAVAIL). */
export function listenError(
  error: unknown,
  portSetting: string,
  hostSetting: string,
  port: number,
  host: string,
): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new PeacedeskError(
      'port_in_use',
      `Cannot listen on ${host}:${port}: the port is already in use. Stop the program using it, or set ${portSetting} to a free port.`,
      { setting: portSetting, port, host },
    );
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
    return new PeacedeskError(
      'port_in_use',
      `Cannot listen on ${host}:${port} (${code}). Check ${hostSetting} (an address of this machine) and ${portSetting} (ports below 1024 need privileges).`,
      { setting: code === 'EACCES' ? portSetting : hostSetting, port, host },
    );
  return error;
}
