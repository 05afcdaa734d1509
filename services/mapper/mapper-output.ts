import type { NoteEvent, Rejection } from '../../shared/contract/contract.js';
import type { InstrumentTopicProblem } from '../../shared/contract/topics.js';
import type { ValueProblem } from './parse-value.js';

/** Why an input was rejected, as a stable code: stats count rejections by it. */
export type RejectionCode = InstrumentTopicProblem | ValueProblem | 'not-configured';

export const REJECTION_CODES: readonly RejectionCode[] = [
  'not-instrument-topic',
  'missing-instrument',
  'extra-levels',
  'bad-instrument',
  'not-configured',
  'empty',
  'too-long',
  'not-utf8',
  'whitespace-only',
  'control-characters',
  'not-a-number',
  'out-of-range',
];

/** A valid value for an instrument, on its way to becoming a note. */
export interface Reading {
  readonly kind: 'reading';
  readonly instrument: number;
  readonly value: number;
  readonly receivedAt: number;
  /** From the performer's lane: never dropped by the rate rules, played first. */
  readonly performer: boolean;
}

/** Publish `event` on `notes/{instrument}`. */
export interface NoteOutput {
  readonly kind: 'note';
  readonly event: NoteEvent;
}

/** Publish `rejection` on `errors`. */
export interface RejectionOutput {
  readonly kind: 'rejection';
  readonly code: RejectionCode;
  readonly rejection: Rejection;
}

/** A rejection the error-rate cap keeps off `errors`: counted, not published. */
export interface SuppressedOutput {
  readonly kind: 'suppressed';
  readonly code: RejectionCode;
  readonly rejection: Rejection;
}

/**
 * Why a valid audience value was not played: its note again within the instrument's
 * `retriggerMs`, over its `maxNotesPerSecond`, or (with a tempo) too many notes already waiting
 * for their grid step.
 */
export type DropReason = 'retrigger' | 'rate' | 'queue-full';

export const DROP_REASONS: readonly DropReason[] = ['retrigger', 'rate', 'queue-full'];

/** A valid value the audience's rate rules kept from playing: counted, not played. */
export interface DroppedOutput {
  readonly kind: 'dropped';
  readonly instrument: number;
  readonly reason: DropReason;
}

/** Exactly one of these for every incoming message. */
export type MapperOutput = NoteOutput | RejectionOutput | SuppressedOutput | DroppedOutput;
