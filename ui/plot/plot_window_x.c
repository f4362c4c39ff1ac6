/* plot_window_x.c — the window thread's guard against X errors (see x_guard
 * below), and its sleep on the X connection and the wake pipe.
 */
#define _GNU_SOURCE
#include "plot/plot_window_internal.h"

#include <SDL_image.h>
#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

atomic_int plot__x_broken;

/* ---- X errors (x_guard) ----
 * Xlib's default answers end the process: a protocol error (BadWindow, ...) prints
 * "X Error of failed request" and calls exit(1), and so does a broken connection
 * (xkill, a window manager's force-quit, the X server going away). SDL installs a
 * protocol error handler of its own at video init, which calls the one it found
 * there, and puts that one back at video quit, just before closing its displays
 * (when the errors of the last requests are read). So ours is installed before
 * SDL's init — SDL then calls it and puts it back — and again after the window is
 * made, which makes it the one in force. Both handlers are process-wide; nothing
 * else in ekm uses X, and every X call is made by the window thread.
 *
 * A protocol error is reported (the window's trace, plot_window_take_note) and
 * ignored: the window goes on, or goes on closing.
 *
 * A broken connection: Xlib calls the I/O error handler, which must not return
 * (Xlib would call exit). XSetIOErrorExitHandler (libX11 1.7) lets a program
 * return from it, but Xlib's _XIOError has then released the display's mutex,
 * and the interrupted call releases it a second time on its way out: undefined
 * behaviour (ThreadSanitizer reports it). So the handler leaves with siglongjmp to
 * the top of the window thread (ts->escape, set before the thread's first SDL
 * call; plot__x_window says which thread has one). What the jump skips is abandoned, never
 * used again: the interrupted SDL and Xlib calls (at that point _XIOError holds the
 * display only through its user lock, XLockDisplay's, which blocks other threads
 * and no other thread uses this display), the dead display, SDL's video state and
 * the window. SDL's teardown is not run either: it would wait forever for X events
 * that cannot come. plot__x_broken then refuses new windows in this process (PNG files
 * still work); the thread's own state is in the plot_window, not on its stack, so
 * the thread still closes its trace, frees its frame and reports that it stopped.
 * An I/O error on any other thread (none is expected) gets the display's exit
 * handler, set where libX11 has it, which marks the connection lost and returns:
 * the process lives, at the price above. libX11 is SDL's (SDL loads it at run
 * time); its functions are looked up, not linked. */
typedef int (*x_error_fn)(Display *, XErrorEvent *);
typedef int (*x_io_error_fn)(Display *);
typedef void (*x_exit_fn)(Display *, void *);

static struct {
    x_error_fn (*set_error_handler)(x_error_fn);
    x_io_error_fn (*set_io_error_handler)(x_io_error_fn);
    void (*set_io_error_exit_handler)(Display *, x_exit_fn, void *); /* libX11 >= 1.7 */
    int (*get_error_text)(Display *, int, char *, int);
    int (*get_error_database_text)(Display *, const char *, const char *, const char *,
                                   char *, int);
    int (*connection_number)(Display *);
    int (*events_queued)(Display *, int);
} X;
static pthread_once_t x_once = PTHREAD_ONCE_INIT;
_Thread_local plot_window *plot__x_window; /* the window whose thread this is */
static atomic_ulong x_errors_elsewhere;     /* protocol errors on no window's thread */

static void x_load(void)
{
    void *x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL); /* never closed */
    if (!x11)
        return; /* no X: nothing to guard */
    *(void **)&X.set_error_handler = dlsym(x11, "XSetErrorHandler");
    *(void **)&X.set_io_error_handler = dlsym(x11, "XSetIOErrorHandler");
    *(void **)&X.set_io_error_exit_handler = dlsym(x11, "XSetIOErrorExitHandler");
    *(void **)&X.get_error_text = dlsym(x11, "XGetErrorText");
    *(void **)&X.get_error_database_text = dlsym(x11, "XGetErrorDatabaseText");
    *(void **)&X.connection_number = dlsym(x11, "XConnectionNumber");
    *(void **)&X.events_queued = dlsym(x11, "XEventsQueued");
}

static int on_x_error(Display *display, XErrorEvent *e)
{
    char text[96] = "", request[64] = "", code[16], line[160];
    if (X.get_error_text)
        X.get_error_text(display, e->error_code, text, sizeof text);
    snprintf(code, sizeof code, "%d", e->request_code);
    if (X.get_error_database_text)
        X.get_error_database_text(display, "XRequest", code, "", request, sizeof request);
    if (!text[0])
        snprintf(text, sizeof text, "error %d", e->error_code);
    if (!request[0])
        snprintf(request, sizeof request, "request %d", e->request_code);
    snprintf(line, sizeof line, "X error ignored: %s in %s (resource 0x%lx)", text, request,
             (unsigned long)e->resourceid);
    plot_window *win = plot__x_window;
    if (!win) {
        atomic_fetch_add(&x_errors_elsewhere, 1);
        return 0;
    }
    /* The window thread holds win->mu only where it makes no X call. */
    pthread_mutex_lock(&win->mu);
    if (win->x_errors++ == 0)
        snprintf(win->x_error, sizeof win->x_error, "%s", line);
    pthread_mutex_unlock(&win->mu);
    if (win->ts.trace) {
        fprintf(win->ts.trace, "x-error %s\n", line);
        fflush(win->ts.trace);
    }
    return 0; /* ignored: Xlib goes on */
}

static void on_x_exit(Display *display, void *data)
{
    (void)display;
    (void)data;
    atomic_store(&plot__x_broken, 1); /* returns: the process lives (see above) */
}

static int on_x_io_error(Display *display)
{
    (void)display;
    atomic_store(&plot__x_broken, 1);
    plot_window *win = plot__x_window;
    if (win) {
        atomic_store(&win->x_lost, 1);
        siglongjmp(win->ts.escape, 1); /* to the top of the window thread */
    }
    return 0; /* not a window thread: the display's exit handler comes next */
}

/* Make our handlers the ones in force (window thread). */
void plot__x_install(void)
{
    pthread_once(&x_once, x_load);
    if (X.set_error_handler)
        X.set_error_handler(on_x_error);
    if (X.set_io_error_handler)
        X.set_io_error_handler(on_x_io_error);
}

/* The window's X connection: its exit handler and the socket to wait on. */
void plot__x_attach(thread_state *ts)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    ts->x_fd = -1;
    if (!SDL_GetWindowWMInfo(ts->window, &info) || info.subsystem != SDL_SYSWM_X11)
        return;
    Display *d = info.info.x11.display;
    ts->display = d;
    if (X.set_io_error_exit_handler)
        X.set_io_error_exit_handler(d, on_x_exit, NULL);
    if (X.connection_number)
        ts->x_fd = X.connection_number(d);
}

/* After the escape from a broken X connection: what is left to do without SDL. */
void plot__x_abandon(plot_window *win)
{
    thread_state *ts = &win->ts;
    atomic_store(&win->open, 0);
    if (ts->trace) {
        fprintf(ts->trace, "x-lost the connection to the X display\n");
        fclose(ts->trace);
        ts->trace = NULL;
    }
    SDL_FreeSurface(ts->frame); /* memory only */
    ts->frame = NULL;
    SDL_TLSCleanup(); /* this thread's SDL data (its error message), freed by SDL_Quit else */
    pthread_mutex_lock(&win->mu);
    if (!win->started) {
        win->started = 1;
        win->start_ok = 0;
        snprintf(win->start_err, sizeof win->start_err,
                 "cannot open a plot window: the connection to the X display was lost");
    }
    win->stopped = 1;
    pthread_cond_broadcast(&win->cv);
    pthread_mutex_unlock(&win->mu);
}

/* Sleep until X input, a caller's change, or 25 ms (the hint's timer, and events
 * Xlib read from the socket while waiting for a reply, which poll cannot see). */
void plot__x_wait_for_work(plot_window *win, thread_state *ts)
{
    if (ts->display && X.events_queued && X.events_queued(ts->display, 0 /* QueuedAlready */))
        return;
    struct pollfd fds[2];
    nfds_t n = 0;
    if (win->wake[0] >= 0)
        fds[n++] = (struct pollfd){.fd = win->wake[0], .events = POLLIN};
    if (ts->x_fd >= 0)
        fds[n++] = (struct pollfd){.fd = ts->x_fd, .events = POLLIN};
    if (poll(fds, n, 25) > 0 && win->wake[0] >= 0 && (fds[0].revents & POLLIN)) {
        char buf[64];
        while (read(win->wake[0], buf, sizeof buf) > 0) {
        }
    }
}
