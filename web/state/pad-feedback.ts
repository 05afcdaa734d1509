import type { NoteEvent, Rejection, Tempo } from '../../shared/contract/contract.js';
import { drumShortName } from '../../shared/contract/drum-names.js';

/**
 * How long the pad waits for its value to come back as a note before it says "too fast — not
 * played". The mapper answers in about a millisecond; a value it drops never comes back at all.
 */
export const PAD_ANSWER_MS = 300;

/**
 * How long to wait while the room has a tempo: the mapper holds an audience note until the next
 * grid step, up to one step (a 500 ms step at 60 bpm in eighths), so the answer may come that late.
 */
export const padAnswerMs = (tempo: Tempo | null): number =>
  tempo ? PAD_ANSWER_MS + 60_000 / tempo.bpm / tempo.steps : PAD_ANSWER_MS;

/** A value the pad published, at page time `at`. */
export interface PadSend {
  instrument: number;
  value: number;
  at: number;
}

export type PadOutcome =
  | { kind: 'played'; send: PadSend; note: NoteEvent }
  | { kind: 'too-fast'; send: PadSend }
  | { kind: 'refused'; send: PadSend; reason: string };

export type PadInput =
  | { kind: 'sent'; send: PadSend }
  | { kind: 'note'; note: NoteEvent; at: number }
  | { kind: 'rejection'; rejection: Rejection; at: number }
  /** Time passing with nothing arriving (a timer): sends past their wait expire. */
  | { kind: 'tick'; at: number };

/** Values sent and not yet answered, oldest first. */
export type PadPending = readonly PadSend[];

export interface PadStep {
  pending: PadPending;
  outcomes: PadOutcome[];
}

/**
 * One step of the pad's bookkeeping, pure: a send waits; a note on the same instrument with the
 * same value answers the oldest such send ("played"); a rejection of the same payload on the
 * same instrument's topic answers it too ("refused"); a send unanswered for `answerMs` expires
 * ("too fast — not played"). Expiry comes first, so a late note cannot contradict what the line
 * already said. `topicOf` names an instrument's topic as the page publishes it.
 */
export function stepPad(
  pending: PadPending,
  input: PadInput,
  topicOf: (instrument: number) => string,
  answerMs = PAD_ANSWER_MS,
): PadStep {
  const at = input.kind === 'sent' ? input.send.at : input.at;
  const outcomes: PadOutcome[] = [];
  const waiting = pending.filter((send) => {
    if (at - send.at <= answerMs) return true;
    outcomes.push({ kind: 'too-fast', send });
    return false;
  });
  const answer = (matches: (send: PadSend) => boolean, outcome: (send: PadSend) => PadOutcome): PadStep => {
    const index = waiting.findIndex(matches);
    if (index < 0) return { pending: waiting, outcomes };
    outcomes.push(outcome(waiting[index]!));
    return { pending: waiting.filter((_, i) => i !== index), outcomes };
  };
  switch (input.kind) {
    case 'sent':
      return { pending: [...waiting, input.send], outcomes };
    case 'note':
      return answer(
        (send) => send.instrument === input.note.instrument && send.value === input.note.value,
        (send) => ({ kind: 'played', send, note: input.note }),
      );
    case 'rejection':
      return answer(
        (send) => input.rejection.topic === topicOf(send.instrument) && input.rejection.payload === String(send.value),
        (send) => ({ kind: 'refused', send, reason: input.rejection.reason }),
      );
    case 'tick':
      return { pending: waiting, outcomes };
  }
}

/** What an instrument's note is called: the drum on a drum instrument, else the note's name. */
export const playedName = (note: Pick<NoteEvent, 'note' | 'name'>, drums: boolean): string =>
  drums ? drumShortName(note.note) : note.name;

/** The pad's status line for an outcome: "Bass played D3", "too fast — not played", "refused: …". */
export function padLine(outcome: PadOutcome, lane: { name: string; drums: boolean } | undefined): string {
  switch (outcome.kind) {
    case 'played':
      return `${lane?.name ?? `Instrument ${outcome.note.instrument}`} played ${playedName(outcome.note, lane?.drums ?? false)}`;
    case 'too-fast':
      return 'too fast — not played';
    case 'refused':
      return `refused: ${outcome.reason}`;
  }
}
