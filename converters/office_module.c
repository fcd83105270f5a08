/* The entry point of ctlconv-office.so (see office.h): the descriptors of
 * the formats it holds.  The module is built with hidden visibility, so
 * this is the one symbol it exports; what it calls of the core (errors,
 * allocation, the table reader) it finds in the program. */
#include "office.h"

extern const ctl_format ctl_format_xlsx;
extern const ctl_format ctl_format_xml;

#include <string.h>

__attribute__((visibility("default"))) const ctl_format *const *ctl_office_formats(const ctl_office_abi *abi);
const ctl_format *const *ctl_office_formats(const ctl_office_abi *abi)
{
    static const ctl_format *const table[] = {&ctl_format_xlsx, &ctl_format_xml, NULL};
    const ctl_office_abi mine = CTL_OFFICE_ABI;
    if (!abi || !abi->version || strcmp(abi->version, mine.version) || abi->format != mine.format ||
        abi->options != mine.options || abi->input != mine.input || abi->sink != mine.sink ||
        abi->item != mine.item || abi->meta != mine.meta)
        return NULL;
    return table;
}
