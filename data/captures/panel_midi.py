#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""MIDI for the development panel (make_panel.sh): the MIDI writer of ../shared/data/gen_midi.py
with the panel's own sets, whose seeds and content differ from the dev set that
../shared/data/dev_input.wav was made from.

usage: panel_midi.py GEN_MIDI_PY SET OUTDIR
  Training takes: panelA, panelB, panelC (about 175 s of guitar each).
  Test takes:     ptestA, ptestB, ptestC (about 45 s each).
Writes what gen_midi.py writes (OUTDIR/segNN_*.mid and OUTDIR/segments.txt).
"""
import importlib.util, sys

# SET -> (seed, [(kind, GM program (0-based), seconds, peak dBFS)...])
PANEL_SETS = {
    'panelA': (2101, [('strum', 25, 18, -12), ('riff', 27, 18, -14), ('palm', 28, 16, -12),
                      ('arp', 24, 14, -18), ('riff', 26, 16, -10), ('strum', 27, 16, -26),
                      ('sustain', 27, 14, -16), ('palm', 28, 12, -30), ('riff', 33, 12, -14),
                      ('arp', 27, 14, -12)]),
    'panelB': (2202, [('riff', 27, 18, -12), ('strum', 25, 16, -14), ('sustain', 26, 16, -18),
                      ('palm', 28, 16, -10), ('arp', 27, 14, -24), ('riff', 25, 16, -32),
                      ('strum', 24, 14, -12), ('palm', 33, 12, -14), ('riff', 26, 14, -16),
                      ('arp', 25, 14, -12)]),
    'panelC': (2303, [('palm', 28, 18, -12), ('arp', 25, 16, -16), ('riff', 26, 18, -12),
                      ('strum', 27, 16, -20), ('sustain', 25, 14, -14), ('riff', 27, 14, -36),
                      ('strum', 28, 14, -12), ('arp', 24, 12, -22), ('riff', 33, 14, -12),
                      ('palm', 27, 14, -16)]),
    'ptestA': (3101, [('strum', 27, 12, -12), ('riff', 25, 10, -16), ('palm', 28, 8, -12),
                      ('sustain', 26, 8, -24)]),
    'ptestB': (3202, [('riff', 26, 12, -12), ('arp', 27, 10, -18), ('strum', 25, 8, -12),
                      ('palm', 28, 8, -30)]),
    'ptestC': (3303, [('palm', 28, 10, -12), ('sustain', 27, 10, -14), ('riff', 24, 10, -20),
                      ('strum', 26, 8, -12)]),
}

def main():
    path, name, outdir = sys.argv[1:4]
    spec = importlib.util.spec_from_file_location('gen_midi', path)
    gm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gm)
    gm.SETS.update(PANEL_SETS)
    sys.argv = [path, name, outdir]
    gm.main()

if __name__ == '__main__':
    main()
