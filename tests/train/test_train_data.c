// SPDX-License-Identifier: ISC
// train_data_load on a recording of the standard capture signal (lstm-reamp): its two
// validation clips, and nothing else, are held out, in the pair's frames after the alignment;
// the report says so and gives the replicate ESR. The same audio with 5 s of the signal 1 dB
// louder is an ordinary recording: blocks spread across the take are held out instead.
#undef NDEBUG
#include "audio_file.h"
#include "reamp_signal.h"
#include "train_data.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Writes the pair: the signal (5 s of it 1 dB louder when `spoil`) and a soft clipper's output
// 20 samples late.
static void write_pair(const char *dry, const char *wet, int spoil)
{
	AudioBuffer x, y;
	char err[256];
	assert(reamp_signal_render(48000, &x) == 0);
	assert(audio_buffer_alloc(&y, x.frames, 1, 48000) == 0);
	for (long i = 20; i < x.frames; i++)
		y.data[i] = 0.4f * tanhf(3.0f * x.data[i - 20]);
	for (long i = x.frames / 2; spoil && i < x.frames / 2 + 5 * 48000; i++)
		x.data[i] *= 1.122f; // 1 dB louder for 5 s
	assert(audio_file_write(dry, &x, 1, err, sizeof err) == 0);
	assert(audio_file_write(wet, &y, 1, err, sizeof err) == 0);
	audio_buffer_free(&x);
	audio_buffer_free(&y);
}

static void load(const char *dry, const char *wet, TrainData *d, char *report, size_t len)
{
	TrainPairSpec spec = {.input = dry, .target = wet};
	TrainDataOptions o = {
		.compensate_delay = 1, .valid_split = -1, .segment_seconds = 0.5, .skip = -1};
	FILE *f = fmemopen(report, len, "w");
	char err[512];
	assert(f);
	int rc = train_data_load(&spec, 1, &o, f, d, err, sizeof err);
	fclose(f);
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	assert(rc == 0);
}

int main(void)
{
	char dir[] = "/tmp/test_train_data_XXXXXX", dry[64], wet[64];
	assert(mkdtemp(dir));
	snprintf(dry, sizeof dry, "%s/dry.wav", dir);
	snprintf(wet, sizeof wet, "%s/wet.wav", dir);
	static char report[16384];

	write_pair(dry, wet, 0);
	TrainData d;
	load(dry, wet, &d, report, sizeof report);
	fputs(report, stdout);
	fflush(stdout);
	ReampLayout l;
	reamp_signal_layout(48000, &l);
	const TrainPair *p = &d.pairs[0];
	assert(p->pair.reamp && p->pair.shifted == 19);
	assert(p->s.held_count == 2);
	assert(p->s.held[0].from == l.clip_a_from && p->s.held[0].to == l.clip_a_to);
	assert(p->s.held[1].from == l.clip_b_from && p->s.held[1].to == l.clip_b_to);
	assert(p->s.train_end == p->s.n);
	assert(strstr(report, "the standard capture signal; held out for validation: its clips A"));
	assert(strstr(report, "ESR 0.00000 (it sounds like itself)"));
	train_data_free(&d);

	write_pair(dry, wet, 1);
	load(dry, wet, &d, report, sizeof report);
	fputs(report, stdout);
	fflush(stdout);
	p = &d.pairs[0];
	assert(!p->pair.reamp && p->s.held_count > 2 && !strstr(report, "standard capture signal"));
	assert(strstr(report, "held out for validation:"));
	train_data_free(&d);

	unlink(dry);
	unlink(wet);
	rmdir(dir);
	printf("the standard signal holds out its clips A and B; a changed signal does not\n");
	return 0;
}
