#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# Writes the seed corpus of fuzz_plugin_atoms.c (tests/fuzz/corpus/atoms/): each file is the
# body of the control port's atom sequence (events only). URIDs follow the harness's uris[]
# table. Deterministic: no randomness, so rerunning rewrites the same bytes.
# The regress_overread_*.bin files next to them are not made here: libFuzzer found them, and
# each read past the control buffer in the plugin before its events and properties were
# bounds-checked (ASan heap-buffer-overflow); they stay as regression cases.
import os
import struct

PATH, URID, STRING, INT, FLOAT, OBJECT, BLANK, RESOURCE, SEQUENCE, TUPLE = range(1, 11)
SET, GET, PROPERTY, VALUE, MODEL, KNOB1, KNOB2, KNOB3 = range(11, 19)
UNKNOWN = 25


def pad8(b):
    return b + b'\0' * (-len(b) % 8)


def atom(type_, body, size=None):
    return struct.pack('<II', len(body) if size is None else size, type_) + body


def prop(key, value_atom):
    return struct.pack('<II', key, 0) + pad8(value_atom)


def obj(otype, props, type_=OBJECT, size=None):
    body = struct.pack('<II', 0, otype) + b''.join(props)
    return atom(type_, body, size)


def event(body_atom, frames=0):
    return pad8(struct.pack('<q', frames) + body_atom)


def path(s):
    return atom(PATH, s.encode() + b'\0')


def set_model(value_atom, type_=OBJECT):
    return obj(SET, [prop(PROPERTY, atom(URID, struct.pack('<I', MODEL))), prop(VALUE, value_atom)],
               type_)


seeds = {
    'set_drive': event(set_model(path('drive.lstm.json'))),
    'set_clean': event(set_model(path('clean.lstm.json'))),
    'set_blank_crunch': event(set_model(path('crunch.lstm.json'), BLANK)),
    'set_twice': (event(set_model(path('drive.lstm.json')))
                  + event(set_model(path('clean.lstm.json')), 10)),
    'set_missing': event(set_model(path('/nonexistent/none.lstm.json'))),
    'set_binary_file': event(set_model(path('lstm.so'))),
    'set_turtle_file': event(set_model(path('manifest.ttl'))),
    'set_directory': event(set_model(path('.'))),
    'set_empty_path': event(set_model(atom(PATH, b''))),
    'set_unterminated': event(set_model(atom(PATH, b'drive.lstm.json'))),
    'set_int_value': event(set_model(atom(INT, struct.pack('<i', 7)))),
    'set_string_value': event(set_model(atom(STRING, b'drive.lstm.json\0'))),
    'set_no_property': event(obj(SET, [prop(VALUE, path('drive.lstm.json'))])),
    'set_other_property': event(obj(SET, [prop(PROPERTY, atom(URID, struct.pack('<I', KNOB1))),
                                          prop(VALUE, path('drive.lstm.json'))])),
    'set_short_urid': event(obj(SET, [prop(PROPERTY, atom(URID, b'')), prop(VALUE, path('x'))])),
    'get': event(obj(GET, [])),
    'get_then_set': event(obj(GET, [])) + event(set_model(path('drive.lstm.json')), 5),
    'not_object': event(atom(INT, struct.pack('<i', 1))),
    'unknown_type': event(atom(UNKNOWN, b'abcdefgh')),
    'truncated_event': struct.pack('<q', 0) + struct.pack('<II', 0x7fffffff, OBJECT) + b'\0' * 8,
    'huge_property': event(obj(SET, [struct.pack('<II', PROPERTY, 0)
                                     + struct.pack('<II', 0xffffff00, URID)])),
    'short_object': event(atom(OBJECT, b'\0\0\0')),
    'object_size_lies': event(set_model(path('drive.lstm.json')))[:-8],
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus', 'atoms')
os.makedirs(out, exist_ok=True)
for name, data in sorted(seeds.items()):
    with open(os.path.join(out, name + '.bin'), 'wb') as f:
        f.write(data)
print(f'{len(seeds)} seeds in {out}')
