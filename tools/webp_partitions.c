/* Encodes raw RGB (stdin, width*height*3 bytes) as lossy WebP with libwebp's config.partitions, which neither
 * cwebp nor Pillow exposes: the fixtures need files with 2, 4 and 8 token partitions.
 * Built by tools/make_webp_fixtures.py against libwebp 1.2.4's headers (LIBWEBP_SRC) and Debian's libwebp.so.7.
 * usage: webp_partitions WIDTH HEIGHT QUALITY LOG2_PARTITIONS OUT.webp < rgb */
#include <stdio.h>
#include <stdlib.h>
#include "webp/encode.h"

int main(int argc, char** argv) {
  if (argc != 6) return 2;
  int w = atoi(argv[1]), h = atoi(argv[2]);
  size_t n = (size_t)w * h * 3;
  uint8_t* rgb = malloc(n);
  if (rgb == NULL || fread(rgb, 1, n, stdin) != n) return 3;
  WebPConfig config;
  WebPPicture pic;
  WebPMemoryWriter wr;
  if (!WebPConfigInit(&config) || !WebPPictureInit(&pic)) return 4;
  config.quality = (float)atof(argv[3]);
  config.partitions = atoi(argv[4]);
  config.low_memory = 1;  /* the token buffer of the default path forces a single partition */
  pic.width = w;
  pic.height = h;
  if (!WebPPictureImportRGB(&pic, rgb, w * 3)) return 5;
  WebPMemoryWriterInit(&wr);
  pic.writer = WebPMemoryWrite;
  pic.custom_ptr = &wr;
  if (!WebPEncode(&config, &pic)) return 6;
  FILE* f = fopen(argv[5], "wb");
  if (f == NULL || fwrite(wr.mem, 1, wr.size, f) != wr.size) return 7;
  fclose(f);
  return 0;
}
