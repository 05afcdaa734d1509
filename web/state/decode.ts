import { decodeJson } from '../../shared/contract/contract.js';
import { topicKind, type Topics } from '../../shared/contract/topics.js';
import type { RoomEvent } from './room.js';

export type Decoded = { ok: true; event: RoomEvent } | { ok: false; reason: string };

/**
 * An MQTT message the page received, as a room event, checked against the contract. `at` is the
 * page's clock when it arrived. Topics the room does not show (instruments/N) are `ok: false`.
 */
export function decodeRoomMessage(topics: Topics, topic: string, text: string, at: number): Decoded {
  const kind = topicKind(topics, topic);
  const failed = (reason: string): Decoded => ({ ok: false, reason: `${topic}: ${reason}` });
  switch (kind) {
    case 'configInstruments': {
      if (topic !== topics.configInstruments) return failed('not a config topic the page knows');
      const d = decodeJson('configInstruments', text);
      return d.ok ? { ok: true, event: { kind: 'config', table: d.value } } : failed(d.reason);
    }
    case 'notes': {
      const d = decodeJson('notes', text);
      return d.ok ? { ok: true, event: { kind: 'note', note: d.value, at } } : failed(d.reason);
    }
    case 'played': {
      const d = decodeJson('played', text);
      return d.ok ? { ok: true, event: { kind: 'played', played: d.value, at } } : failed(d.reason);
    }
    case 'status': {
      const d = decodeJson('status', text);
      return d.ok ? { ok: true, event: { kind: 'status', status: d.value } } : failed(d.reason);
    }
    case 'stats': {
      const d = decodeJson('stats', text);
      return d.ok ? { ok: true, event: { kind: 'stats', stats: d.value } } : failed(d.reason);
    }
    case 'errors': {
      const d = decodeJson('errors', text);
      return d.ok ? { ok: true, event: { kind: 'rejection', rejection: d.value } } : failed(d.reason);
    }
    default:
      return failed('not shown by the page');
  }
}

/** The topic filters the page subscribes to. */
export const roomFilters = (topics: Topics): string[] => [
  topics.configInstruments,
  topics.notesAll,
  topics.playedAll,
  topics.statusAll,
  topics.statsAll,
  topics.errors,
];
