import type { MqttClient } from 'mqtt';
import type { Logger } from './logger.js';

/** Connections this short, three in a row, and a service says another copy may share its client id. */
const SHORT_CONNECTION_MS = 5_000;

export interface ConnectionLog {
  /** Call on every connect: the next outage and the next error are said again. */
  connected(): void;
  /** Call when a connection closes; true when it is the third short one in a row. */
  closed(): boolean;
}

/**
 * Logs a client's outages and errors once each, not once per retry: while the broker is away
 * every retry fails the same way, and a long outage must not flood the log or block on a full
 * stdout pipe (later repeats go to debug).
 */
export function logConnection(client: MqttClient, url: string, log: Logger): ConnectionLog {
  let outageLogged = false;
  let lastError = '';
  let connectedAt = 0;
  let shortConnections = 0;
  client.on('offline', () => {
    if (outageLogged) return;
    outageLogged = true;
    log.warn(
      `broker ${url} unreachable (is it running? npm start starts it); retrying every ${client.options.reconnectPeriod} ms`,
    );
  });
  client.on('error', (error) => {
    if (error.message === lastError) return log.debug(`MQTT error from ${url}: ${error.message}`);
    lastError = error.message;
    log.error(`MQTT error from ${url}: ${error.message}`);
  });
  return {
    connected() {
      connectedAt = performance.now();
      outageLogged = false;
      lastError = '';
    },
    closed() {
      // Two clients with one id take the connection from each other, over and over.
      shortConnections = performance.now() - connectedAt < SHORT_CONNECTION_MS ? shortConnections + 1 : 0;
      return shortConnections === 3;
    },
  };
}
