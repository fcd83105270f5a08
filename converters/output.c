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

static const char *display_name(const char *path)
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

/* Reads fd to its end into *data, holding at most limit + 1 bytes (the one
 * more says the input is over the limit).  first: the first capacity. */
static ctl_status read_all(ctl_ctx *ctx, int fd, const char *name, size_t limit, size_t first,
                           unsigned char **data, size_t *len)
{
    size_t cap = 0, n = 0;
    unsigned char *d = NULL;
    for (;;) {
        if (n == cap) {
            if (n > limit) break;
            size_t grown = cap ? cap * 2 : first;
            if (grown > limit + 1 || grown < cap) grown = limit + 1;
            unsigned char *nd = ctl_realloc(d, grown + 1);   /* + the NUL */
            if (!nd) { ctl_free(d); return ctl_nomem(ctx); }
            d = nd;
            cap = grown;
        }
        ssize_t got = read(fd, d + n, cap - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int e = errno;
            ctl_free(d);
            return ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "read error: %s", strerror(e));
        }
        if (got == 0) break;
        n += (size_t)got;
        if (read_hook) read_hook(name, n);
    }
    if (n > limit) {
        ctl_free(d);
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

ctl_status ctl_read_file(ctl_ctx *ctx, const char *path, size_t limit, unsigned char **data,
                         size_t *len)
{
    const char *name = display_name(path);
    int is_stdin = !strcmp(name, "-");
    if (!limit) limit = ctl_limit_default(CTL_LIMIT_INPUT_SIZE);
    if (limit > SIZE_MAX / 4) limit = SIZE_MAX / 4;
    *data = NULL;
    *len = 0;
    int fd = is_stdin ? 0 : above_std(open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd < 0) return ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    ctl_status st = CTL_OK;
    off_t start = 0;
    int known = fstat(fd, &sb) == 0;
    /* a regular file's size is a promise (not /proc's 0) */
    int sized = known && S_ISREG(sb.st_mode) && sb.st_size > 0;
    if (sized && ((start = lseek(fd, 0, SEEK_CUR)) < 0 || start > sb.st_size))
        start = start < 0 ? 0 : sb.st_size;
    size_t first = 65536;
    if (known && S_ISDIR(sb.st_mode))
        st = ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "is a directory");
    else if (sized && (unsigned long long)(sb.st_size - start) > limit)
        st = ctl_limit_fail(ctx, name, 0, CTL_LIMIT_INPUT_SIZE,
                            "input is larger than the limit of %zu bytes", limit);
    else if (sized)
        first = (size_t)(sb.st_size - start) + 1;   /* one more sees a file that grew */
    if (st == CTL_OK && read_hook) read_hook(name, 0);
    if (st == CTL_OK) st = read_all(ctx, fd, name, limit, first, data, len);
    if (st == CTL_OK && sized) st = check_unchanged(ctx, fd, name, &sb, start, *len);
    if (!is_stdin) close(fd);
    if (st != CTL_OK) {
        ctl_free(*data);
        *data = NULL;
        *len = 0;
    }
    return st;
}

/* ------------------------------------------------------------------------
 * Live temporary files.  A fixed table, so that a signal handler can walk
 * it: a slot is 0 (free), 1 (being filled) or 2 (a file to remove).
 * ---------------------------------------------------------------------- */

enum { TEMP_SLOTS = 16 };
static char temp_paths[TEMP_SLOTS][PATH_MAX];
static int temp_state[TEMP_SLOTS];
static int temp_is_dir[TEMP_SLOTS];   /* a directory: emptied, then removed */

/* The slot that now holds path, or -1 (too long, or the table is full: the
 * file is then only removed by the normal paths). */
static int temp_keep(const char *path, int is_dir)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX) return -1;
    for (int i = 0; i < TEMP_SLOTS; i++) {
        int expected = 0;
        if (!__atomic_compare_exchange_n(&temp_state[i], &expected, 1, 0, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST))
            continue;
        memcpy(temp_paths[i], path, n + 1);
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
static void remove_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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
    rmdir(dir);
}

static void temp_delete(int slot)
{
    if (temp_is_dir[slot]) remove_dir(temp_paths[slot]);
    else unlink(temp_paths[slot]);
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

/* Creates path, whose RANDOM_CHARS characters at path + at are chosen here,
 * exclusively and without following a link; kept in the table (*slot)
 * with the signals blocked, so that no signal finds it unrecorded. */
static int temp_open(char *path, size_t at, mode_t mode, int *slot)
{
    int fd = -1;
    *slot = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        random_chars(path + at);
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        int e = errno;
        if (fd >= 0 && fd < 3 && (fd = above_std(fd)) < 0) {
            e = errno;
            unlink(path);
        }
        if (fd >= 0) *slot = temp_keep(path, 0);
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
    int fd = temp_open(*path, (size_t)at, 0600, slot);
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
        if (made == 0) temp_keep(path, 1);
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
    remove_dir(dir);
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
    char *target;       /* OUT_FILE, OUT_DEVICE: the path to write */
    char *tmp;          /* OUT_FILE: the temporary file beside the target */
    int slot;           /* its place in the table */
    int desc;           /* OUT_DESCRIPTOR: the descriptor named ... */
    int fd;             /* ... and our duplicate of it */
    FILE *stream;       /* the staged output */
};

int ctl_output_descriptor(const char *path)
{
    if (!path || !strcmp(path, "-") || !strcmp(path, "/dev/stdout")) return 1;
    if (!strcmp(path, "/dev/stderr")) return 2;
    const char *p = !strncmp(path, "/dev/fd/", 8) ? path + 8
                  : !strncmp(path, "/proc/self/fd/", 14) ? path + 14 : NULL;
    if (!p || !*p) return -1;
    long n = 0;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p) || n > INT_MAX / 10) return -1;
        n = n * 10 + (*p - '0');
    }
    return n <= INT_MAX ? (int)n : -1;
}

/* Length of the directory part of path, its last '/' included. */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

/* May the link be followed?  As fs.protected_symlinks: not in a sticky
 * world-writable directory unless the link's owner owns the directory or
 * is us.  -1: out of memory. */
static int may_follow(const char *link, const struct stat *ls)
{
    size_t n = dir_len(link);
    char *dir = n ? ctl_strndup(link, n) : ctl_strdup(".");
    if (!dir) return -1;
    struct stat ds;
    int ok = stat(dir, &ds) != 0 || !(ds.st_mode & S_ISVTX) || !(ds.st_mode & S_IWOTH) ||
             ls->st_uid == ds.st_uid || ls->st_uid == geteuid();
    ctl_free(dir);
    return ok;
}

/* The file path names after following symbolic links in its last
 * component, link by link (*out is malloc'd). */
static ctl_status follow_links(ctl_ctx *ctx, const char *name, const char *path, char **out)
{
    char *cur = ctl_strdup(path), buf[PATH_MAX];
    for (int hops = 0; cur; hops++) {
        struct stat ls;
        if (lstat(cur, &ls) != 0 || !S_ISLNK(ls.st_mode)) break;
        ctl_status st = CTL_OK;
        int may = hops < 40 ? may_follow(cur, &ls) : 0;
        ssize_t n = readlink(cur, buf, sizeof buf - 1);
        if (hops == 40)
            st = ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "too many levels of symbolic links");
        else if (may < 0)
            st = ctl_nomem(ctx);
        else if (!may)
            st = ctl_fail(ctx, CTL_D_UNSAFE_LINK, name, 0, "refusing to follow a symbolic link owned by "
                          "another user (uid %lu) in a sticky world-writable directory",
                          (unsigned long)ls.st_uid);
        else if (n < 0)
            st = ctl_fail(ctx, CTL_D_IO_ERROR, name, 0, "cannot follow the link: %s", strerror(errno));
        if (st != CTL_OK) { ctl_free(cur); return st; }
        buf[n] = '\0';
        size_t dir = buf[0] == '/' ? 0 : dir_len(cur);
        char *next = ctl_malloc(dir + (size_t)n + 1);
        if (next) {
            memcpy(next, cur, dir);
            memcpy(next + dir, buf, (size_t)n + 1);
        }
        ctl_free(cur);
        cur = next;
    }
    if (!cur) return ctl_nomem(ctx);
    *out = cur;
    return CTL_OK;
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
    return CTL_OK;
}

/* A temporary file beside the target, ".NAME.RANDOM.tmp" with NAME cut so
 * that the whole stays within NAME_MAX; a replaced file's owner, group and
 * mode carried over (the owner only when we may: as root). */
static ctl_status stage_beside(ctl_ctx *ctx, ctl_output *o, const struct stat *old)
{
    const char *t = o->target;
    size_t dir = dir_len(t), base = strlen(t + dir);
    size_t keep = ctl_utf8_clip(t + dir, base, NAME_MAX - RANDOM_CHARS - 6);
    size_t n = dir + keep + RANDOM_CHARS + 7;
    if (!(o->tmp = ctl_malloc(n))) return ctl_nomem(ctx);
    snprintf(o->tmp, n, "%.*s.%.*s.%*s.tmp", (int)dir, t, (int)keep, t + dir, RANDOM_CHARS, "");
    int fd = temp_open(o->tmp, dir + keep + 2, 0666, &o->slot);   /* the umask applies */
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
    return CTL_OK;
}

static ctl_status open_path(ctl_ctx *ctx, ctl_output *o, const char *path)
{
    ctl_status st = follow_links(ctx, o->name, path, &o->target);
    if (st != CTL_OK) return st;
    struct stat sb;
    if (stat(o->target, &sb) != 0) {
        if (errno != ENOENT)
            return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot write: %s", strerror(errno));
        return stage_beside(ctx, o, NULL);
    }
    if (S_ISDIR(sb.st_mode)) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "is a directory");
    if (S_ISREG(sb.st_mode)) return stage_beside(ctx, o, &sb);
    o->kind = OUT_DEVICE;   /* a device, a FIFO, a socket: written once done */
    return stage_unnamed(ctx, o);
}

ctl_status ctl_output_open(ctl_ctx *ctx, const char *path, ctl_output **out)
{
    *out = NULL;
    if (path && !*path) return ctl_fail(ctx, CTL_D_BAD_ARGUMENT, NULL, 0, "the output file name is empty");
    ctl_output *o = ctl_malloc(sizeof *o);
    if (!o) return ctl_nomem(ctx);
    memset(o, 0, sizeof *o);
    o->name = display_name(path);
    o->slot = -1;
    o->fd = -1;
    *out = o;
    o->desc = ctl_output_descriptor(path);
    if (o->desc < 0) return open_path(ctx, o, path);
    o->kind = OUT_DESCRIPTOR;
    if ((o->fd = fcntl(o->desc, F_DUPFD_CLOEXEC, 3)) < 0) {
        if (o->desc == 1) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "standard output is closed");
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "descriptor %d is not open", o->desc);
    }
    return stage_unnamed(ctx, o);
}

FILE *ctl_output_stream(ctl_output *o)
{
    return o->stream;
}

/* Copies the staged output to fd. */
static ctl_status copy_to(ctl_ctx *ctx, ctl_output *o, int fd)
{
    char buf[65536];
    int from = fileno(o->stream);
    const char *what = o->desc == 1 ? "standard output" : "the output";
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
            if (w < 0) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot write %s: %s", what, strerror(errno));
            done += w;
        }
    }
}

ctl_status ctl_output_commit(ctl_ctx *ctx, ctl_output *o)
{
    if (fflush(o->stream) != 0 || ferror(o->stream))
        return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "write error: %s", strerror(errno));
    if (o->kind == OUT_FILE) {
        int bad = fclose(o->stream) != 0;
        o->stream = NULL;
        if (bad) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "write error: %s", strerror(errno));
        if (rename(o->tmp, o->target) != 0)
            return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot put the output in place: %s", strerror(errno));
        temp_forget(o->slot);
        ctl_free(o->tmp);
        o->tmp = NULL;
        return CTL_OK;
    }
    if (o->kind == OUT_DESCRIPTOR) {
        if (o->desc == 1) fflush(stdout);   /* what the caller printed comes first */
        if (o->desc == 2) fflush(stderr);
        return copy_to(ctx, o, o->fd);
    }
    int fd = above_std(open(o->target, O_WRONLY | O_CLOEXEC | O_NOCTTY));
    if (fd < 0) return ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "cannot open the output: %s", strerror(errno));
    ctl_status st = copy_to(ctx, o, fd);
    if (close(fd) != 0 && st == CTL_OK)
        st = ctl_fail(ctx, CTL_D_IO_ERROR, o->name, 0, "write error: %s", strerror(errno));
    return st;
}

void ctl_output_close(ctl_output *o)
{
    if (!o) return;
    if (o->stream) fclose(o->stream);
    if (o->tmp) {
        unlink(o->tmp);
        temp_forget(o->slot);
        ctl_free(o->tmp);
    }
    if (o->fd >= 0) close(o->fd);
    ctl_free(o->target);
    ctl_free(o);
}
