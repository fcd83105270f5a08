/* SPDX-License-Identifier: BSD-2-Clause */
/* Files in and out: the input read whole under its limit (and refused if it
 * changed while being read), the output staged in a temporary file and put
 * in place only when the conversion succeeded, and the table of live
 * temporary files that a signal handler can remove. */
#include "internal.h"
#include "output.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

const char *ctl_display_name(const char *path)
{
    return (!path || !strcmp(path, "-")) ? "-" : path;
}

/* fd moved above 2 if it took the place of a closed standard descriptor
 * (which stays closed): ctlconv's files are never mistaken for those. */
static int above_std(int fd)
{
    if (fd < 0 || fd > 2) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int e = errno;
    close(fd);
    errno = e;
    return moved;
}

/* ------------------------------------------------------------------------
 * Reading the input.
 * ---------------------------------------------------------------------- */

static void (*read_hook)(const char *path, size_t done);

void ctl_test_read_hook(void (*hook)(const char *path, size_t done))
{
    read_hook = hook;
}

/* Reads fd into *data (holding *len bytes already, which may be NULL and
 * 0) to its end, holding at most limit + 1 bytes (the one more says the
 * input is over the limit).  first: the capacity to start with.  head:
 * limit is only how much to read now; *whole says the end was reached. */
static ctl_status read_all(ctl_ctx *ctx, int fd, const char *name, size_t limit, size_t first,
                           unsigned char **data, size_t *len, int *whole, int head)
{
    size_t cap = *data ? *len : 0, n = *len;
    unsigned char *d = *data;
    *whole = 0;
    if (head && first > limit + 1) first = limit + 1;
    for (;;) {
        if (n == cap) {
            if (n > limit || (head && n == limit + 1)) break;
            size_t grown = cap ? (cap * 2 > first ? cap * 2 : first) : first;
            if (grown > limit + 1 || grown < cap) grown = limit + 1;
            unsigned char *nd = ctl_realloc(d, grown + 1);   /* + the NUL */
            if (!nd) { ctl_free(d); *data = NULL; *len = 0; return ctl_nomem(ctx); }
            d = nd;
            cap = grown;
        }
        ssize_t got = read(fd, d + n, cap - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int e = errno;
            ctl_free(d);
            *data = NULL;
            *len = 0;
            return ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "read error: %s", strerror(e));
        }
        if (got == 0) { *whole = 1; break; }
        n += (size_t)got;
        if (read_hook) read_hook(name, n);
    }
    if (n > limit && !head) {
        ctl_free(d);
        *data = NULL;
        *len = 0;
        return ctl_limit_fail(ctx, name, 0, CTL_LIMIT_INPUT_SIZE,
                              "input is larger than the limit of %zu bytes", limit);
    }
    d[n] = '\0';
    *data = d;
    *len = n;
    return CTL_OK;
}

/* A regular file must give the bytes its size promised at the start, and
 * still have that size and modification time at the end. */
static ctl_status check_unchanged(ctl_ctx *ctx, int fd, const char *name, const struct stat *at_open,
                                  off_t start, size_t got)
{
    struct stat now;
    off_t expected = at_open->st_size - start;
    if ((off_t)got != expected)
        return ctl_fail(ctx, CTL_D_INPUT_CHANGED, name, 0, "the file changed while it was read (%lld bytes "
                        "expected, %zu read): nothing converted", (long long)expected, got);
    if (fstat(fd, &now) != 0 || now.st_size != at_open->st_size ||
        now.st_mtim.tv_sec != at_open->st_mtim.tv_sec || now.st_mtim.tv_nsec != at_open->st_mtim.tv_nsec)
        return ctl_fail(ctx, CTL_D_INPUT_CHANGED, name, 0, "the file changed while it was read: nothing converted");
    return CTL_OK;
}

/* Opens the input and reads its first `head` bytes (or all of it). */
ctl_status ctl_infile_open(ctl_ctx *ctx, const char *path, size_t limit, size_t head, ctl_infile *f)
{
    memset(f, 0, sizeof *f);
    f->name = ctl_display_name(path);
    f->is_stdin = !strcmp(f->name, "-");
    f->fd = -1;
    if (!limit) limit = ctl_limit_default(CTL_LIMIT_INPUT_SIZE);
    if (limit > SIZE_MAX / 4) limit = SIZE_MAX / 4;
    f->limit = limit;
    if (path && !*path) return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the input file name is empty");
    f->fd = f->is_stdin ? 0 : above_std(open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (f->fd < 0) return ctl_fail(ctx, CTL_D_IO_ERROR, f->name, 0, "cannot open: %s", strerror(errno));
    int known = fstat(f->fd, &f->sb) == 0;
    /* a regular file's size is a promise (not /proc's 0) */
    f->sized = known && S_ISREG(f->sb.st_mode) && f->sb.st_size > 0;
    if (f->sized && ((f->start = lseek(f->fd, 0, SEEK_CUR)) < 0 || f->start > f->sb.st_size))
        f->start = f->start < 0 ? 0 : f->sb.st_size;
    size_t first = 65536;
    if (known && S_ISDIR(f->sb.st_mode))
        return ctl_fail(ctx, CTL_D_IO_ERROR, f->name, 0, "is a directory");
    if (f->sized && (unsigned long long)(f->sb.st_size - f->start) > limit && head > limit)
        return ctl_limit_fail(ctx, f->name, 0, CTL_LIMIT_INPUT_SIZE,
                              "input is larger than the limit of %zu bytes", limit);
    if (f->sized && (unsigned long long)(f->sb.st_size - f->start) <= limit)
        first = (size_t)(f->sb.st_size - f->start) + 1;   /* one more sees a file that grew */
    if (read_hook) read_hook(f->name, 0);
    ctl_status st = read_all(ctx, f->fd, f->name, head < limit ? head : limit, first, &f->data, &f->len,
                             &f->whole, head < limit);
    f->done = f->len;
    return st;
}

ctl_status ctl_infile_rest(ctl_ctx *ctx, ctl_infile *f)
{
    ctl_status st = CTL_OK;
    if (!f->whole) {
        if (f->sized && (st = ctl_infile_in_place(ctx, f)) != CTL_OK) return st;
        /* read_all goes on from what the head holds */
        size_t first = f->sized ? (size_t)(f->sb.st_size - f->start) + 1 : f->len * 2;
        st = read_all(ctx, f->fd, f->name, f->limit, first, &f->data, &f->len, &f->whole, 0);
    }
    if (st == CTL_OK && f->sized && !f->checked) {
        f->checked = 1;
        st = check_unchanged(ctx, f->fd, f->name, &f->sb, f->start, f->len);
    }
    return st;
}

int ctl_infile_read_at(void *file, void *buf, size_t n, unsigned long long off, size_t *got)
{
    ctl_infile *f = file;
    *got = 0;
    while (*got < n) {
        ssize_t k = pread(f->fd, (char *)buf + *got, n - *got, f->start + (off_t)(off + *got));
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return errno ? errno : EIO;
        if (k == 0) break;
        *got += (size_t)k;
    }
    return 0;
}

ctl_status ctl_infile_in_place(ctl_ctx *ctx, ctl_infile *f)
{
    if ((unsigned long long)(f->sb.st_size - f->start) > f->limit)
        return ctl_limit_fail(ctx, f->name, 0, CTL_LIMIT_INPUT_SIZE, "input is larger than the limit of %zu bytes",
                              f->limit);
    return CTL_OK;
}

int ctl_infile_changed(const ctl_infile *f)
{
    struct stat now;
    return fstat(f->fd, &now) != 0 || now.st_size != f->sb.st_size || now.st_mtim.tv_sec != f->sb.st_mtim.tv_sec ||
           now.st_mtim.tv_nsec != f->sb.st_mtim.tv_nsec;
}

ctl_status ctl_infile_read(ctl_ctx *ctx, ctl_infile *f, unsigned char *buf, size_t size, size_t *got)
{
    *got = 0;
    for (;;) {
        ssize_t n = read(f->fd, buf, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ctl_fail(ctx, CTL_D_IO_ERROR, f->name, 0, "read error: %s", strerror(errno));
        f->done += (size_t)n;
        if (n > 0 && read_hook) read_hook(f->name, f->done);
        *got = (size_t)n;
        if (n == 0 && f->sized && !f->checked) {
            f->checked = 1;
            return check_unchanged(ctx, f->fd, f->name, &f->sb, f->start, f->done);
        }
        return CTL_OK;
    }
}

void ctl_infile_close(ctl_infile *f)
{
    if (f->fd >= 0 && !f->is_stdin) close(f->fd);
    f->fd = -1;
    ctl_free(f->data);
    f->data = NULL;
    f->len = 0;
}

ctl_status ctl_read_file(ctl_ctx *ctx, const char *path, size_t limit, unsigned char **data,
                         size_t *len)
{
    ctl_infile f;
    ctl_status st = ctl_infile_open(ctx, path, limit, SIZE_MAX, &f);
    if (st == CTL_OK) st = ctl_infile_rest(ctx, &f);
    *data = st == CTL_OK ? f.data : NULL;
    *len = st == CTL_OK ? f.len : 0;
    if (st == CTL_OK) f.data = NULL;
    ctl_infile_close(&f);
    return st;
}

/* ------------------------------------------------------------------------
 * Live temporary files.  A fixed table, so that a signal handler can walk
 * it: a slot is 0 (free), 1 (being filled) or 2 (a file to remove).
 * ---------------------------------------------------------------------- */

enum { TEMP_SLOTS = 16 };
static char temp_paths[TEMP_SLOTS][PATH_MAX];
static int temp_at[TEMP_SLOTS];       /* the directory path is relative to */
static int temp_state[TEMP_SLOTS];
static int temp_is_dir[TEMP_SLOTS];   /* a directory: emptied, then removed */

/* The slot that now holds path (relative to the directory at, or
 * AT_FDCWD), or -1 (too long, or the table is full: the file is then only
 * removed by the normal paths). */
static int temp_keep(int at, const char *path, int is_dir)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX) return -1;
    for (int i = 0; i < TEMP_SLOTS; i++) {
        int expected = 0;
        if (!__atomic_compare_exchange_n(&temp_state[i], &expected, 1, 0, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST))
            continue;
        memcpy(temp_paths[i], path, n + 1);
        temp_at[i] = at;
        temp_is_dir[i] = is_dir;
        __atomic_store_n(&temp_state[i], 2, __ATOMIC_SEQ_CST);
        return i;
    }
    return -1;
}

static void temp_forget(int slot)
{
    if (slot >= 0) __atomic_store_n(&temp_state[slot], 0, __ATOMIC_SEQ_CST);
}

/* Removes a directory of ours and the files in it, with system calls
 * only (async-signal-safe).  Entries removed while the directory is read
 * may hide others: passes go on until one finds nothing. */
static void remove_dir(int at, const char *dir)
{
    int fd = openat(at, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    for (int pass = 0, found = 1; fd >= 0 && found && pass < 16; pass++) {
        char buf[4096];
        long n;
        found = 0;
        lseek(fd, 0, SEEK_SET);
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
            for (long off = 0; off < n;) {
                /* struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name */
                unsigned short reclen;
                memcpy(&reclen, buf + off + 16, sizeof reclen);
                const char *name = buf + off + 19;
                if (strcmp(name, ".") && strcmp(name, "..") && unlinkat(fd, name, 0) == 0) found = 1;
                off += reclen;
            }
    }
    if (fd >= 0) close(fd);
    unlinkat(at, dir, AT_REMOVEDIR);
}

static void temp_delete(int slot)
{
    if (temp_is_dir[slot]) remove_dir(temp_at[slot], temp_paths[slot]);
    else unlinkat(temp_at[slot], temp_paths[slot], 0);
}

void ctl_remove_temporaries(void)
{
    int saved = errno;
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (__atomic_load_n(&temp_state[i], __ATOMIC_SEQ_CST) == 2) {
            temp_delete(i);
            __atomic_store_n(&temp_state[i], 0, __ATOMIC_SEQ_CST);
        }
    errno = saved;
}

enum { RANDOM_CHARS = 12 };

/* RANDOM_CHARS characters of 6 random bits each (getrandom; a mix of the
 * clock, the pid and a counter if the kernel has none to give). */
static void random_chars(char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char r[RANDOM_CHARS];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        static unsigned long counter;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = ((unsigned long long)ts.tv_sec << 30) ^ (unsigned long long)ts.tv_nsec ^
                               ((unsigned long long)getpid() << 40) ^ (++counter * 0x9E3779B97F4A7C15ULL);
        for (size_t i = 0; i < sizeof r; i++) {
            x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
            r[i] = (unsigned char)((x * 0x2545F4914F6CDD1DULL) >> 56);
        }
    }
    for (size_t i = 0; i < sizeof r; i++) out[i] = abc[r[i] & 63];
}

/* Creates path (relative to the directory dir, or AT_FDCWD), whose
 * RANDOM_CHARS characters at path + at are chosen here, exclusively and
 * without following a link; kept in the table (*slot) with the signals
 * blocked, so that no signal finds it unrecorded. */
static int temp_open(int dir, char *path, size_t at, mode_t mode, int *slot)
{
    int fd = -1;
    *slot = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        random_chars(path + at);
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        fd = openat(dir, path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        int e = errno;
        if (fd >= 0 && fd < 3 && (fd = above_std(fd)) < 0) {
            e = errno;
            unlinkat(dir, path, 0);
        }
        if (fd >= 0) *slot = temp_keep(dir, path, 0);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        errno = e;
        if (fd < 0 && errno != EEXIST) break;
    }
    return fd;
}

const char *ctl_tmpdir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

/* dir/ctlconv-RANDOM<suffix>, open (fd) and kept (*slot). */
static int temp_in_tmpdir(ctl_ctx *ctx, const char *name, const char *suffix, char **path, int *slot,
                          ctl_status *st)
{
    const char *dir = ctl_tmpdir();
    size_t n = strlen(dir) + strlen(suffix) + RANDOM_CHARS + 16;
    *path = ctl_malloc(n);
    if (!*path) { *st = ctl_nomem(ctx); return -1; }
    int at = snprintf(*path, n, "%s/ctlconv-", dir);
    snprintf(*path + at + RANDOM_CHARS, n - (size_t)at - RANDOM_CHARS, "%s", suffix);
    int fd = temp_open(AT_FDCWD, *path, (size_t)at, 0600, slot);
    if (fd < 0) {
        *st = ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot create a temporary file in %s: %s", dir,
                       strerror(errno));
        ctl_free(*path);
        *path = NULL;
    }
    return fd;
}

ctl_status ctl_temp_dir_create(ctl_ctx *ctx, const char *name, char **dir)
{
    const char *top = ctl_tmpdir();
    size_t n = strlen(top) + RANDOM_CHARS + 16;
    char *path = ctl_malloc(n);
    if (!path) return ctl_nomem(ctx);
    int at = snprintf(path, n, "%s/ctlconv-", top), made = -1;
    for (int attempt = 0; attempt < 100 && made != 0; attempt++) {
        random_chars(path + at);
        path[at + RANDOM_CHARS] = '\0';
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        made = mkdir(path, 0700);
        int e = errno;
        if (made == 0) temp_keep(AT_FDCWD, path, 1);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        errno = e;
        if (made != 0 && errno != EEXIST) break;
    }
    if (made != 0) {
        ctl_status st = ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot create a temporary directory in %s: %s",
                                 top, strerror(errno));
        ctl_free(path);
        return st;
    }
    *dir = path;
    return CTL_OK;
}

void ctl_temp_dir_remove(char *dir)
{
    if (!dir) return;
    remove_dir(AT_FDCWD, dir);
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (__atomic_load_n(&temp_state[i], __ATOMIC_SEQ_CST) == 2 && !strcmp(temp_paths[i], dir))
            temp_forget(i);
    ctl_free(dir);
}

/* ------------------------------------------------------------------------
 * The output.
 * ---------------------------------------------------------------------- */

typedef enum { OUT_FILE, OUT_DESCRIPTOR, OUT_DEVICE } out_kind;

struct ctl_output {
    const char *name;   /* for messages */
    out_kind kind;
    int dir;            /* OUT_FILE, OUT_DEVICE: the target's directory (O_PATH) */
    char *target;       /* ... and the target's name in it (never a link) */
    char *tmp;          /* OUT_FILE: the temporary file beside the target */
    int slot;           /* its place in the table */
    int desc;           /* OUT_DESCRIPTOR: the descriptor named ... */
    int fd;             /* ... and our duplicate of it; OUT_DEVICE: the device */
    FILE *stream;       /* the staged output */
    int through;        /* written through o->fd (ctl_output_through) */
    ctl_buf held;       /* ... the first bytes, held until more come */
    int flowing;        /* ... the held bytes went out */
    int dropping;       /* ... closed without a commit: held bytes are dropped */
    int err;            /* ... the errno of the first write that failed */
};

/* The number p spells in decimal digits, or -1. */
static int fd_number(const char *p)
{
    if (!*p) return -1;
    long n = 0;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p) || n > INT_MAX / 10) return -1;
        n = n * 10 + (*p - '0');
    }
    return n <= INT_MAX ? (int)n : -1;
}

int ctl_output_descriptor(const char *path)
{
    if (!path || !strcmp(path, "-") || !strcmp(path, "/dev/stdout")) return 1;
    if (!strcmp(path, "/dev/stderr")) return 2;
    const char *p = !strncmp(path, "/dev/fd/", 8) ? path + 8
                  : !strncmp(path, "/proc/self/fd/", 14) ? path + 14 : NULL;
    return p ? fd_number(p) : -1;
}

/* May the link ls, in the directory dir, be followed?  As
 * fs.protected_symlinks: not in a sticky world-writable directory unless
 * the link's owner owns the directory or is us (the effective uid). */
static int may_follow(int dir, const struct stat *ls)
{
    struct stat ds;
    return fstat(dir, &ds) == 0 && (!(ds.st_mode & S_ISVTX) || !(ds.st_mode & S_IWOTH) ||
                                    ls->st_uid == ds.st_uid || ls->st_uid == geteuid());
}

/* Is dir our own /proc/self/fd (the same device and inode)? */
static int own_fd_dir(int dir)
{
    static const char *const names[] = {"/proc/self/fd", "/proc/thread-self/fd"};
    struct stat d, p;
    if (fstat(dir, &d) != 0) return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (stat(names[i], &p) == 0 && p.st_dev == d.st_dev && p.st_ino == d.st_ino) return 1;
    return 0;
}

/* Where a walk of path starts ("/" or "."), as an O_PATH descriptor. */
static int walk_start(const char *path)
{
    return above_std(open(*path == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
}

/* Follows the link comp (ls) in *dir under may_follow: *rest becomes its
 * target, then "/" and after when after is not empty or slash is set. */
static ctl_status follow(ctl_ctx *ctx, const char *name, int *dir, const char *comp,
                         const struct stat *ls, const char *after, int slash, char **rest)
{
    char buf[PATH_MAX];
    if (!may_follow(*dir, ls))
        return ctl_fail(ctx, CTL_D_UNSAFE_LINK, name, 0, "refusing to follow a symbolic link owned by "
                        "another user (uid %lu) in a sticky world-writable directory",
                        (unsigned long)ls->st_uid);
    ssize_t n = readlinkat(*dir, comp, buf, sizeof buf - 1);
    if (n == 0) errno = ENOENT;
    if (n <= 0) return ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot follow the link: %s", strerror(errno));
    buf[n] = '\0';
    size_t size = (size_t)n + strlen(after) + 2;
    char *next = ctl_malloc(size);
    if (!next) return ctl_nomem(ctx);
    snprintf(next, size, "%s%s%s", buf, *after || slash ? "/" : "", after);
    if (*buf == '/') {
        int root = walk_start(buf);
        if (root < 0) {
            ctl_free(next);
            return ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot create the output: %s", strerror(errno));
        }
        close(*dir);
        *dir = root;
    }
    ctl_free(*rest);
    *rest = next;
    return CTL_OK;
}

/* One step of a walk: the component comp of *dir, the last one or not. */
static ctl_status step(ctl_ctx *ctx, ctl_output *o, int *dir, char *comp, int last, char **rest,
                       char *after, int slash, int *links, struct stat *sb, int *exists)
{
    struct stat ls;
    if (!strcmp(comp, ".")) return CTL_OK;
    if (last && fd_number(comp) >= 0 && own_fd_dir(*dir)) {
        o->desc = fd_number(comp);   /* /proc/self/fd/N however it was reached */
        return CTL_OK;
    }
    int found = fstatat(*dir, comp, &ls, AT_SYMLINK_NOFOLLOW) == 0;
    if (!found && !(last && errno == ENOENT))
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot create the output: %s", strerror(errno));
    if (found && S_ISLNK(ls.st_mode)) {
        if (++*links > 40) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "too many levels of symbolic links");
        return follow(ctx, o->name, dir, comp, &ls, after, slash, rest);
    }
    if (last) {
        *exists = found;
        if (found) *sb = ls;
        return (o->target = ctl_strdup(comp)) ? CTL_OK : ctl_nomem(ctx);
    }
    int next = above_std(openat(*dir, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (next < 0) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot create the output: %s", strerror(errno));
    close(*dir);
    *dir = next;
    return CTL_OK;
}

/* Walks path component by component, following every symbolic link on
 * the way under may_follow, to the directory that holds the file: o->dir,
 * and o->target, its name there (a link never: *sb is the file when
 * *exists).  A name in our own /proc/self/fd sets o->desc instead. */
static ctl_status walk(ctl_ctx *ctx, ctl_output *o, const char *path, struct stat *sb, int *exists)
{
    char *rest = ctl_strdup(path);
    int dir = walk_start(path), links = 0;
    ctl_status st = CTL_OK;
    if (!rest) st = ctl_nomem(ctx);
    else if (dir < 0) st = ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot create the output: %s", strerror(errno));
    for (char *p = rest; st == CTL_OK && !o->target && o->desc < 0;) {
        while (*p == '/') p++;
        if (!*p) break;   /* the path names a directory */
        char *end = p + strcspn(p, "/"), *after = end;
        int slash = *end == '/';
        if (slash) *end = '\0';
        for (after += slash; *after == '/'; after++) {}
        char *before = rest;
        if (!strcmp(p, "..")) {
            int up = above_std(openat(dir, "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (up < 0) st = ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot create the output: %s", strerror(errno));
            else { close(dir); dir = up; }
        } else {
            st = step(ctx, o, &dir, p, !slash, &rest, after, slash, &links, sb, exists);
        }
        p = rest == before ? after : rest;   /* a link followed: its target next */
    }
    ctl_free(rest);
    o->dir = dir;
    if (st == CTL_OK && !o->target && o->desc < 0) st = ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "is a directory");
    return st;
}

/* The standard descriptor (1, 2, then 0) that holds the file sb describes
 * open for writing, or -1. */
static int std_holding(const struct stat *sb)
{
    static const int order[] = {1, 2, 0};
    for (size_t i = 0; i < 3; i++) {
        struct stat ds;
        int fl = fcntl(order[i], F_GETFL);
        if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY) continue;
        if (fstat(order[i], &ds) == 0 && ds.st_dev == sb->st_dev && ds.st_ino == sb->st_ino) return order[i];
    }
    return -1;
}

/* A temporary file in $TMPDIR with no name left: the staging of a
 * descriptor or a device. */
static ctl_status stage_unnamed(ctl_ctx *ctx, ctl_output *o)
{
    char *path;
    int slot;
    ctl_status st = CTL_OK;
    int fd = temp_in_tmpdir(ctx, o->name, ".tmp", &path, &slot, &st);
    if (fd < 0) return st;
    unlink(path);
    temp_forget(slot);
    ctl_free(path);
    if (!(o->stream = fdopen(fd, "w+b"))) {
        close(fd);
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot open a temporary file: %s", strerror(errno));
    }
    setvbuf(o->stream, NULL, _IOFBF, 65536);
    return CTL_OK;
}

/* A temporary file beside the target in o->dir, ".NAME.RANDOM.tmp" with
 * NAME cut so that the whole stays within NAME_MAX; a replaced file's
 * owner, group and mode carried over (the owner only when we may: as
 * root). */
static ctl_status stage_beside(ctl_ctx *ctx, ctl_output *o, const struct stat *old)
{
    const char *t = o->target;
    size_t keep = ctl_utf8_clip(t, strlen(t), NAME_MAX - RANDOM_CHARS - 6);
    size_t n = keep + RANDOM_CHARS + 7;
    if (!(o->tmp = ctl_malloc(n))) return ctl_nomem(ctx);
    snprintf(o->tmp, n, ".%.*s.%*s.tmp", (int)keep, t, RANDOM_CHARS, "");
    int fd = temp_open(o->dir, o->tmp, keep + 2, 0666, &o->slot);   /* the umask applies */
    if (fd < 0) {
        ctl_status st = ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot create the output: %s", strerror(errno));
        ctl_free(o->tmp);
        o->tmp = NULL;
        return st;
    }
    if (old) {
        struct stat now;
        if (fstat(fd, &now) == 0 && (now.st_uid != old->st_uid || now.st_gid != old->st_gid) &&
            fchown(fd, old->st_uid, old->st_gid) != 0 && fchown(fd, (uid_t)-1, old->st_gid) != 0) {
            /* not ours to give away: the file becomes ours */
        }
        if (fchmod(fd, old->st_mode & 07777) != 0) { /* kept as created */ }
    }
    if (!(o->stream = fdopen(fd, "wb"))) {
        close(fd);
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot open the output: %s", strerror(errno));
    }
    setvbuf(o->stream, NULL, _IOFBF, 65536);   /* not a write(2) every 4 KiB */
    return CTL_OK;
}

/* Output through the descriptor desc, as it is (a duplicate of it). */
static ctl_status use_descriptor(ctl_ctx *ctx, ctl_output *o, int desc)
{
    o->kind = OUT_DESCRIPTOR;
    o->desc = desc;
    if ((o->fd = fcntl(o->desc, F_DUPFD_CLOEXEC, 3)) < 0) {
        if (o->desc == 1) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "standard output is closed");
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "descriptor %d is not open", o->desc);
    }
    if ((fcntl(o->fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "descriptor %d is not open for writing", o->desc);
    return stage_unnamed(ctx, o);
}

/* A device, a FIFO or a socket: opened now, once, without following a
 * link, refused if it is no longer the file the walk found, and written
 * through that descriptor once done. */
static ctl_status open_device(ctl_ctx *ctx, ctl_output *o, const struct stat *sb)
{
    struct stat now;
    o->kind = OUT_DEVICE;
    o->fd = above_std(openat(o->dir, o->target, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC));
    if (o->fd < 0) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot open the output: %s", strerror(errno));
    if (fstat(o->fd, &now) != 0 || now.st_dev != sb->st_dev || now.st_ino != sb->st_ino)
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "the output was replaced while it was opened: "
                        "nothing written");
    return stage_unnamed(ctx, o);
}

static ctl_status open_path(ctl_ctx *ctx, ctl_output *o, const char *path)
{
    struct stat sb;
    int exists = 0, desc;
    ctl_status st = walk(ctx, o, path, &sb, &exists);
    if (st != CTL_OK) return st;
    if (o->desc >= 0) return use_descriptor(ctx, o, o->desc);
    if (!exists) return stage_beside(ctx, o, NULL);
    if (S_ISDIR(sb.st_mode)) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "is a directory");
    /* the file a standard descriptor holds: that descriptor, never replaced */
    if ((desc = std_holding(&sb)) >= 0) return use_descriptor(ctx, o, desc);
    if (S_ISREG(sb.st_mode)) return stage_beside(ctx, o, &sb);
    return open_device(ctx, o, &sb);
}

ctl_status ctl_output_open(ctl_ctx *ctx, const char *path, ctl_output **out)
{
    *out = NULL;
    if (path && !*path) return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the output file name is empty");
    ctl_output *o = ctl_malloc(sizeof *o);
    if (!o) return ctl_nomem(ctx);
    memset(o, 0, sizeof *o);
    o->name = ctl_display_name(path);
    o->slot = -1;
    o->fd = -1;
    o->dir = -1;
    o->desc = -1;
    *out = o;
    int desc = ctl_output_descriptor(path);
    return desc >= 0 ? use_descriptor(ctx, o, desc) : open_path(ctx, o, path);
}

FILE *ctl_output_stream(ctl_output *o)
{
    return o->stream;
}

/* Writes s[0..n) to fd whole; -1 with errno on failure. */
static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The held bytes out, and what the caller printed before them. */
static int let_flow(ctl_output *o)
{
    if (o->desc == 1) fflush(stdout);
    if (o->desc == 2) fflush(stderr);
    o->flowing = 1;
    int r = write_all(o->fd, o->held.data ? o->held.data : "", o->held.len);
    ctl_buf_free(&o->held);
    return r;
}

static ssize_t through_write(void *cookie, const char *s, size_t n)
{
    ctl_output *o = cookie;
    if (o->dropping && !o->flowing) return (ssize_t)n;
    int r;
    if (!o->flowing && o->held.len + n <= CTL_OUTPUT_HELD)
        r = ctl_buf_add(&o->held, s, n) ? 0 : (errno = ENOMEM, -1);
    else r = (o->flowing || let_flow(o) == 0) ? write_all(o->fd, s, n) : -1;
    if (r != 0 && !o->err) o->err = errno;
    return r == 0 ? (ssize_t)n : -1;
}

ctl_status ctl_output_through(ctl_ctx *ctx, ctl_output *o)
{
    if (o->kind == OUT_FILE || o->through) return CTL_OK;
    cookie_io_functions_t io = {NULL, through_write, NULL, NULL};
    FILE *f = fopencookie(o, "w", io);
    if (!f) return ctl_nomem(ctx);
    if (o->stream) fclose(o->stream);   /* the staging file, empty */
    o->stream = f;
    o->through = 1;
    setvbuf(f, NULL, _IOFBF, 65536);
    return CTL_OK;
}

/* Copies the staged output to fd. */
static ctl_status copy_to(ctl_ctx *ctx, ctl_output *o, int fd)
{
    char buf[65536];
    int from = fileno(o->stream);
    if (lseek(from, 0, SEEK_SET) != 0)
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot read the staged output: %s", strerror(errno));
    for (;;) {
        ssize_t n = read(from, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot read the staged output: %s", strerror(errno));
        if (n == 0) return CTL_OK;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(fd, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return ctl_write_failed(ctx, o->name, errno);
            done += w;
        }
    }
}

ctl_status ctl_output_commit(ctl_ctx *ctx, ctl_output *o)
{
    if (fflush(o->stream) != 0 || ferror(o->stream)) return ctl_write_failed(ctx, o->name, o->err ? o->err : errno);
    if (o->kind == OUT_FILE) {
        int bad = fclose(o->stream) != 0;
        o->stream = NULL;
        if (bad) return ctl_write_failed(ctx, o->name, errno);
        if (renameat(o->dir, o->tmp, o->dir, o->target) != 0)
            return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot put the output in place: %s", strerror(errno));
        temp_forget(o->slot);
        ctl_free(o->tmp);
        o->tmp = NULL;
        return CTL_OK;
    }
    if (o->through) {
        ctl_status st = CTL_OK;
        if (!o->flowing && let_flow(o) != 0) st = ctl_write_failed(ctx, o->name, errno);
        if (o->kind == OUT_DEVICE) {
            int bad = close(o->fd) != 0;
            o->fd = -1;
            if (bad && st == CTL_OK) st = ctl_write_failed(ctx, o->name, errno);
        }
        return st;
    }
    if (o->kind == OUT_DESCRIPTOR) {
        if (o->desc == 1) fflush(stdout);   /* what the caller printed comes first */
        if (o->desc == 2) fflush(stderr);
        return copy_to(ctx, o, o->fd);
    }
    ctl_status st = copy_to(ctx, o, o->fd);   /* the device opened at the start */
    int bad = close(o->fd) != 0;
    o->fd = -1;
    if (bad && st == CTL_OK) st = ctl_write_failed(ctx, o->name, errno);
    return st;
}

void ctl_output_close(ctl_output *o)
{
    if (!o) return;
    o->dropping = 1;   /* not committed: held bytes go nowhere */
    if (o->stream) fclose(o->stream);
    ctl_buf_free(&o->held);
    if (o->tmp) {
        unlinkat(o->dir, o->tmp, 0);
        temp_forget(o->slot);
        ctl_free(o->tmp);
    }
    if (o->fd >= 0) close(o->fd);
    if (o->dir >= 0) close(o->dir);
    ctl_free(o->target);
    ctl_free(o);
}
