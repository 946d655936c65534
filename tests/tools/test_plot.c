// SPDX-License-Identifier: ISC
// plot_training_png: writes a 1200 x 1400 PNG whose panels hold the drawn curves (blue loss,
// red model output, black target), copes with missing data, and fails cleanly (message, no
// file) on a missing folder and on /dev/full.
#undef NDEBUG
#include "plot.h"
#include "tools_test_util.h"

#include <assert.h>
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dir;

// Pixels in rows y0..y1 close to the colour (r, g, b).
static long count_colour(cairo_surface_t *s, int y0, int y1, int r, int g, int b)
{
	const unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s), w = cairo_image_surface_get_width(s);
	long n = 0;
	for (int y = y0; y < y1; ++y)
		for (int x = 0; x < w; ++x) {
			uint32_t px = *(const uint32_t *)(d + (size_t)y * (size_t)stride + 4 * (size_t)x);
			int pr = (px >> 16) & 255, pg = (px >> 8) & 255, pb = px & 255;
			if (abs(pr - r) < 30 && abs(pg - g) < 30 && abs(pb - b) < 30)
				++n;
		}
	return n;
}

static void test_full_plot(void)
{
	float loss[30], valid[30];
	for (int i = 0; i < 30; ++i) {
		loss[i] = 0.4f * expf(-i / 6.0f) + 0.005f;
		valid[i] = 0.5f * expf(-i / 7.0f) + 0.01f;
	}
	valid[3] = NAN; // skipped, not fatal
	static float t[3000], o[3000];
	for (int i = 0; i < 3000; ++i) {
		double x = 0.6 * sin(2 * 3.14159265 * 220.0 * i / 48000.0);
		t[i] = (float)tanh(3.0 * x);
		o[i] = (float)tanh(2.7 * x);
	}
	TrainingPlot p = {loss, valid, 30, t, o, 3000, 48000.0, "test plot"};
	char err[256] = "";
	const char *path = tt_path(dir, "plot.png");
	assert(plot_training_png(path, &p, err, sizeof err) == 0);
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	assert(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
	assert(cairo_image_surface_get_width(s) == 1200 && cairo_image_surface_get_height(s) == 1400);
	cairo_surface_flush(s);
	// Panel 1 (rows 90..430) has the blue training curve; panel 2 (540..880) the red output.
	assert(count_colour(s, 90, 430, 31, 102, 191) > 500);
	assert(count_colour(s, 540, 880, 217, 38, 38) > 500);
	assert(count_colour(s, 990, 1330, 217, 38, 38) > 300);
	// No red output curve drawn into the loss panel.
	assert(count_colour(s, 90, 430, 217, 38, 38) < 50);
	cairo_surface_destroy(s);

	// Redrawing replaces the file (the trainer updates it as it goes).
	p.epochs = 10;
	assert(plot_training_png(path, &p, err, sizeof err) == 0);
	assert(tt_count_entries(dir) == 1);
}

static void test_empty_plot(void)
{
	TrainingPlot p;
	memset(&p, 0, sizeof p);
	char err[256] = "";
	assert(plot_training_png(tt_path(dir, "empty.png"), &p, err, sizeof err) == 0);
	cairo_surface_t *s = cairo_image_surface_create_from_png(tt_path(dir, "empty.png"));
	assert(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

static void test_errors(void)
{
	TrainingPlot p;
	memset(&p, 0, sizeof p);
	char err[256] = "";
	int before = tt_count_entries(dir);
	assert(plot_training_png(tt_path(dir, "none/x.png"), &p, err, sizeof err) == -1);
	assert(strstr(err, "none/x.png: cannot create a file in folder"));
	assert(plot_training_png("/dev/full", &p, err, sizeof err) == -1);
	assert(strstr(err, "/dev/full") && strstr(err, "No space left on device"));
	assert(plot_training_png(dir, &p, err, sizeof err) == -1);
	assert(strstr(err, "is a directory"));
	assert(plot_training_png(tt_path(dir, "n.png"), NULL, err, sizeof err) == -1);
	assert(tt_count_entries(dir) == before);
}

int main(void)
{
	dir = tt_tmpdir();
	test_full_plot();
	test_empty_plot();
	test_errors();
	plot_release_caches();
	tt_rmtree(dir);
	return 0;
}
