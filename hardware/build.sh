#!/bin/sh
# Builds the knobs firmware with Debian's AVR toolchain (gcc-avr, avr-libc, arduino-core-avr),
# without the Arduino IDE: hardware/build.sh [OUT_DIR] → OUT_DIR/openwest-knobs.{elf,hex,bin}.
# Defaults: OUT_DIR=hardware/build, MCU=atmega328p, F_CPU=16000000L (Uno, Nano).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
mcu=${MCU:-atmega328p}
f_cpu=${F_CPU:-16000000L}
arduino=${ARDUINO_DIR:-/usr/share/arduino/hardware/arduino/avr}
core=$arduino/cores/arduino
variant=$arduino/variants/${VARIANT:-standard}
sketch=$here/openwest-knobs/openwest-knobs.ino

command -v avr-gcc >/dev/null || { echo "avr-gcc not found: apt-get install gcc-avr avr-libc" >&2; exit 1; }
[ -f "$core/Arduino.h" ] || { echo "Arduino core not found in $core: apt-get install arduino-core-avr" >&2; exit 1; }

mkdir -p "$out/core"
common="-mmcu=$mcu -DF_CPU=$f_cpu -DARDUINO=10813 -DARDUINO_AVR_UNO -DARDUINO_ARCH_AVR -Os -g -ffunction-sections -fdata-sections -I$core -I$variant"
cflags="$common -std=gnu11"
cxxflags="$common -std=gnu++11 -fpermissive -fno-exceptions -fno-threadsafe-statics -Wno-error=narrowing"

objs=""
for src in "$core"/*.c "$core"/*.cpp "$core"/*.S; do
  [ -f "$src" ] || continue
  obj="$out/core/$(basename "$src").o"
  case "$src" in
    *.c) avr-gcc $cflags -w -c "$src" -o "$obj" ;;
    # DECIMAL_DIG: avr-gcc 5's float.h hides it from C++, and WString.cpp of newer cores needs it.
    *.cpp) avr-g++ $cxxflags -DDECIMAL_DIG=9 -w -c "$src" -o "$obj" ;;
    *.S) avr-gcc $common -x assembler-with-cpp -c "$src" -o "$obj" ;;
  esac
  objs="$objs $obj"
done

# The IDE's one preprocessing step: a sketch is C++ with Arduino.h included first.
avr-g++ $cxxflags -Wall -Wextra -include Arduino.h -x c++ -c "$sketch" -o "$out/openwest-knobs.o"
avr-gcc -mmcu=$mcu -Os -Wl,--gc-sections -o "$out/openwest-knobs.elf" "$out/openwest-knobs.o" $objs -lm
avr-objcopy -O ihex -R .eeprom "$out/openwest-knobs.elf" "$out/openwest-knobs.hex"
avr-objcopy -O binary -R .eeprom "$out/openwest-knobs.elf" "$out/openwest-knobs.bin"
avr-size "$out/openwest-knobs.elf" | tail -1 | awk '{ printf "openwest-knobs: %d bytes of flash, %d bytes of RAM\n", $1 + $2, $2 + $3 }'
