/* plot_png.c — saving a surface as a PNG file, through an outfile, so a failed
 * write is an error and never leaves a partial file in place of the user's.
 */
#include "plot/plot_internal.h"

#include "common/outfile.h"

#include <SDL_image.h>
#include <stdio.h>

/* SDL_image writes the PNG through this: into an outfile, whose stream keeps the
 * first error's reason whether or not the encoder looks at the count returned. */
static size_t SDLCALL rw_write(SDL_RWops *rw, const void *p, size_t size, size_t num)
{
    outfile *o = rw->hidden.unknown.data1;
    if (!size || !num)
        return 0;
    return fwrite(p, size, num, o->f);
}

static Sint64 SDLCALL rw_size(SDL_RWops *rw)
{
    (void)rw;
    return -1;
}

static Sint64 SDLCALL rw_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
    outfile *o = rw->hidden.unknown.data1;
    if (offset == 0 && whence == RW_SEEK_CUR) /* a tell */
        return (Sint64)ftell(o->f);
    return SDL_SetError("a picture is written in one pass");
}

static size_t SDLCALL rw_read(SDL_RWops *rw, void *p, size_t size, size_t num)
{
    (void)rw, (void)p, (void)size, (void)num;
    SDL_SetError("writing only");
    return 0;
}

static int SDLCALL rw_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

int plot_save_png(SDL_Surface *s, const char *path, char *err, size_t errsz)
{
    if (!s || !path || !*path) {
        plot__err(err, errsz, "save: no picture or no file name");
        return -1;
    }
    outfile o;
    char why[1200];
    if (outfile_open(&o, path, why, sizeof why)) {
        plot__err(err, errsz, "%s", why);
        return -1;
    }
    SDL_RWops *rw = SDL_AllocRW();
    if (!rw) {
        outfile_abort(&o);
        plot__err(err, errsz, "%s: cannot write: out of memory", path);
        return -1;
    }
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = &o;
    rw->write = rw_write;
    rw->read = rw_read;
    rw->seek = rw_seek;
    rw->size = rw_size;
    rw->close = rw_close;
    if (IMG_SavePNG_RW(s, rw, 1) != 0 && !outfile_failed(&o)) {
        plot__err(err, errsz, "%s: cannot write: %s", path, IMG_GetError());
        outfile_abort(&o);
        return -1;
    }
    if (outfile_commit(&o, why, sizeof why)) {
        plot__err(err, errsz, "%s", why);
        return -1;
    }
    return 0;
}
