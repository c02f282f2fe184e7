/* Domain-name comparison (mxp_dns_name.h). */
#include "mxp_dns_name.h"

#include <string.h>

static char ascii_lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

bool mxp_dns_name_eqn(const char *a, size_t al, const char *b, size_t bl)
{
    if (a == NULL || b == NULL)
        return false;
    al -= al > 0 && a[al - 1] == '.';
    bl -= bl > 0 && b[bl - 1] == '.';
    if (al != bl)
        return false;
    for (size_t i = 0; i < al; i++)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

bool mxp_dns_name_eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && mxp_dns_name_eqn(a, strlen(a), b, strlen(b));
}
