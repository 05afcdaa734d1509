import { describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { contrastRatio, mix, parseHex, toHex } from '../../web/state/contrast.js';
import {
  heldKey,
  inkOn,
  laneFlash,
  PAGE_COLOURS,
  SHAPE_CONTRAST,
  TEXT_CONTRAST,
} from '../../web/state/lane-colours.js';

const palette = defaultInstruments.map((i) => [`${i.instrument} ${i.name}`, i.colour] as const);
const hex = parseHex;

describe('the WCAG 2 contrast formula', () => {
  it('gives the known ratios', () => {
    expect(contrastRatio(hex('#000'), hex('#fff'))).toBeCloseTo(21, 5);
    expect(contrastRatio(hex('#fff'), hex('#fff'))).toBeCloseTo(1, 5);
    // #767676 on white is the classic 4.54:1.
    expect(contrastRatio(hex('#767676'), hex('#ffffff'))).toBeCloseTo(4.54, 2);
    expect(toHex(mix(hex('#ffffff'), hex('#000000'), 0.5))).toBe('#808080');
  });

  it('reads a bad colour as black instead of throwing', () => {
    expect(parseHex('not a colour')).toEqual([0, 0, 0]);
  });
});

describe.each(palette)('lane colour %s (%s)', (_, colour) => {
  const inks = [PAGE_COLOURS.text, PAGE_COLOURS.muted].map(hex);
  const lane = hex(PAGE_COLOURS.lane);
  const flash = hex(laneFlash(colour));

  it('keeps lane text at 4.5:1 or more at rest, at the flash, and on the way between', () => {
    for (let t = 0; t <= 1.0001; t += 0.05) {
      const background = mix(flash, lane, 1 - t); // t = 0: the flash; t = 1: at rest
      for (const ink of inks) expect(contrastRatio(ink, background)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
    }
  });

  it('still flashes: the flash differs visibly from the resting lane', () => {
    expect(laneFlash(colour)).not.toBe(PAGE_COLOURS.lane);
    expect(contrastRatio(flash, lane)).toBeGreaterThan(1.2);
  });

  it('labels a held key at 4.5:1 or more', () => {
    for (const key of [PAGE_COLOURS.whiteKey, PAGE_COLOURS.blackKey, colour]) {
      const held = heldKey(colour, key);
      expect(contrastRatio(hex(inkOn(held)), hex(held))).toBeGreaterThanOrEqual(TEXT_CONTRAST);
    }
  });

  it('shows a held key 3:1 apart from a resting white or black key', () => {
    for (const key of [PAGE_COLOURS.whiteKey, PAGE_COLOURS.blackKey]) {
      expect(contrastRatio(hex(heldKey(colour, key)), hex(key))).toBeGreaterThanOrEqual(SHAPE_CONTRAST);
    }
  });
});

describe('the page’s own text', () => {
  it('reads at 4.5:1 or more on the panels and lanes', () => {
    for (const background of ['#161b22', PAGE_COLOURS.lane, '#0b0e12']) {
      for (const ink of [PAGE_COLOURS.text, PAGE_COLOURS.muted, '#ffd27a', '#ff9b8f']) {
        expect(contrastRatio(hex(ink), hex(background)), `${ink} on ${background}`).toBeGreaterThanOrEqual(
          TEXT_CONTRAST,
        );
      }
    }
    // Key labels.
    expect(contrastRatio(hex('#1a1a1a'), hex(PAGE_COLOURS.whiteKey))).toBeGreaterThanOrEqual(TEXT_CONTRAST);
    expect(contrastRatio(hex(PAGE_COLOURS.text), hex(PAGE_COLOURS.blackKey))).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  });

  it('draws the focus ring 3:1 apart from white keys, black keys and panels', () => {
    for (const beside of [PAGE_COLOURS.whiteKey, PAGE_COLOURS.blackKey, '#161b22']) {
      expect(contrastRatio(hex('#2f81f7'), hex(beside))).toBeGreaterThanOrEqual(SHAPE_CONTRAST);
    }
  });
});
