// OpenWest knobs: up to 6 potentiometers on A0-A5 of an Arduino Uno or Nano (ATmega328P).
//
// Serial protocol, 115200 baud, 8N1, lines ending in "\r\n" (see hardware/README.md):
//   #openwest-knobs 1 knobs=6     once on boot: firmware name, protocol version, knob count
//   <knob>:<raw>                  knob 0-5, raw 0-1023; sent once per knob on boot, then only
//                                 when the reading has moved more than HYSTERESIS from the last
//                                 value sent (or reached an end of its travel)
// The sensor reader (services/sensor) turns raw readings into notes 30-90.

#define FIRMWARE_NAME "openwest-knobs"
#define PROTOCOL_VERSION 1
#ifndef KNOBS
#define KNOBS 6  // wire pots to A0 upwards; lower this if fewer are wired (open inputs float)
#endif
#define HYSTERESIS 4       // raw steps (of 1023) a knob must move before a new line is sent
#define SAMPLES 4          // readings averaged per knob per scan, against wiper noise
#define SCAN_INTERVAL_MS 5 // one scan of every knob at most this often

static const uint8_t knobPins[6] = {A0, A1, A2, A3, A4, A5};
static int lastSent[KNOBS];

static int readKnob(uint8_t knob) {
  analogRead(knobPins[knob]);  // the first conversion after switching channel is discarded
  long sum = 0;
  for (uint8_t i = 0; i < SAMPLES; i++) sum += analogRead(knobPins[knob]);
  return (int)((sum + SAMPLES / 2) / SAMPLES);
}

static bool movedEnough(int raw, int last) {
  if (last < 0) return true;                       // never sent: always report
  if (raw == last) return false;
  if (raw == 0 || raw == 1023) return true;        // the ends of travel are always reachable
  return raw > last + HYSTERESIS || raw < last - HYSTERESIS;
}

static void sendReading(uint8_t knob, int raw) {
  Serial.print(knob);
  Serial.print(':');
  Serial.println(raw);
}

void setup() {
  Serial.begin(115200);
  for (uint8_t k = 0; k < KNOBS; k++) lastSent[k] = -1;
  Serial.print('#');
  Serial.print(F(FIRMWARE_NAME));
  Serial.print(' ');
  Serial.print(PROTOCOL_VERSION);
  Serial.print(F(" knobs="));
  Serial.println(KNOBS);
}

void loop() {
  static unsigned long lastScan = 0;
  unsigned long now = millis();
  if (now - lastScan < SCAN_INTERVAL_MS) return;
  lastScan = now;
  for (uint8_t k = 0; k < KNOBS; k++) {
    int raw = readKnob(k);
    if (movedEnough(raw, lastSent[k])) {
      sendReading(k, raw);
      lastSent[k] = raw;
    }
  }
}
