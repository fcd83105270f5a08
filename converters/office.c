/* Loads ctlconv-office.so (see office.h): from the folder the program runs
 * from, never from a path an input or the environment names. */
#include "office.h"
#include "internal.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const ctl_format *ctl_office_format(ctl_ctx *ctx, const char *name)
{
    static const ctl_format *const *table;   /* the program is single-threaded */
    if (!table) {
        char path[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", path, sizeof path);
        if (n < 0 || (size_t)n >= sizeof path) {   /* a full buffer may be a cut path */
            ctl_fail(ctx, CTL_D_INTERNAL, NULL, 0, "cannot load the XLSX and XML support: cannot tell "
                     "where the program is");
            return NULL;
        }
        path[n] = '\0';
        char *slash = strrchr(path, '/');
        size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
        if (dir + strlen(CTL_OFFICE_MODULE) + 1 > sizeof path) {
            ctl_fail(ctx, CTL_D_INTERNAL, NULL, 0, "cannot load the XLSX and XML support: the path of "
                     "the program is too long");
            return NULL;
        }
        strcpy(path + dir, CTL_OFFICE_MODULE);
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        ctl_office_formats_fn get = h ? (ctl_office_formats_fn)dlsym(h, CTL_OFFICE_SYMBOL) : NULL;
        if (!get) {
            const char *why = dlerror();
            ctl_fail(ctx, CTL_D_INTERNAL, NULL, 0, "cannot load the XLSX and XML support (%s): %s", path,
                     why ? why : "not found");
            return NULL;
        }
        static const ctl_office_abi abi = CTL_OFFICE_ABI;
        table = get(&abi);   /* the module stays loaded for the life of the process */
        if (!table) {
            ctl_fail(ctx, CTL_D_INTERNAL, NULL, 0, "cannot load the XLSX and XML support (%s): it was "
                     "built from another version of ctlconv (this is %s)", path, CTL_VERSION);
            return NULL;
        }
    }
    for (size_t i = 0; table[i]; i++)
        if (!strcmp(table[i]->name, name)) return table[i];
    ctl_fail(ctx, CTL_D_INTERNAL, NULL, 0, "the XLSX and XML support has no format '%s'", name);
    return NULL;
}
