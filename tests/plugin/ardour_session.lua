-- SPDX-License-Identifier: ISC
-- Run by test_ardour.sh with ardour7-lua: a session on the dummy backend, a mono track, the
-- plugin by URI, its Drive preset, the mix control set to 0.25, a short roll, a save, a reopen.
-- Prints lines starting with "CHECK" that the shell script verifies. Environment: LSTM_SESSION_DIR, LSTM_URI.
local dir = os.getenv("LSTM_SESSION_DIR")
local uri = os.getenv("LSTM_URI")
AudioEngine:set_backend("None (Dummy)", "", "")
AudioEngine:set_sample_rate(48000)
AudioEngine:set_buffer_size(256)
AudioEngine:set_device_name("Silence")
assert(AudioEngine:start(false) == 0, "the dummy audio engine did not start")
local s = create_session(dir, "lstmtest", 48000)
assert(s, "no session")
local tracks = s:new_audio_track(1, 2, nil, 1, "Guitar", ARDOUR.PresentationInfo.max_order,
	ARDOUR.TrackMode.Normal, true)
local track = tracks:front()
local p = ARDOUR.LuaAPI.new_plugin(s, uri, ARDOUR.PluginType.LV2, "")
assert(not p:isnil(), "Ardour could not instantiate the plugin")
assert(track:add_processor_by_index(p, 0, nil, true) == 0, "could not add the plugin")
local plug = p:to_insert():plugin(0)
print("CHECK uri " .. plug:unique_id())
-- The bundle's Drive preset: its model (drive.lstm.json) loads through the plugin's state.
local preset = plug:preset_by_label("Drive")
assert(preset and plug:load_preset(preset), "could not load the Drive preset")
print("CHECK preset " .. preset.label)
-- Control parameters in port order: in_gain, out_gain, mix, enabled, knob1..3.
ARDOUR.LuaAPI.set_processor_param(p, 2, 0.25)
print("CHECK mix " .. ARDOUR.LuaAPI.get_processor_param(p, 2, true))
s:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
ARDOUR.LuaAPI.usleep(300000)
s:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
ARDOUR.LuaAPI.usleep(100000)
s:save_state("", false, false, false, false, false)
print("CHECK saved")
-- Drop the Lua references to the track and plugin before the session goes: otherwise Lua's
-- garbage collector destroys the track after the engine and Ardour crashes on exit.
p = nil
plug = nil
preset = nil
track = nil
tracks = nil
collectgarbage()
close_session()

-- Reopen: the plugin comes back with its setting (and its state, which it loads at restore).
local s2 = load_session(dir, "lstmtest")
assert(s2, "could not reopen the session")
local route = s2:route_by_name("Guitar")
assert(not route:isnil(), "the track is gone")
local p2 = route:nth_plugin(0)
assert(not p2:isnil(), "the plugin is gone")
print("CHECK reopened " .. p2:to_insert():plugin(0):unique_id())
print("CHECK reopened mix " .. ARDOUR.LuaAPI.get_processor_param(p2, 2, true))
p2 = nil
route = nil
collectgarbage()
close_session()
AudioEngine:stop(false)
