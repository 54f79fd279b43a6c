// The default of GradientFlowCheck.isEnabled (see fathom_gradient_flow.h).
#include "fathom_gradient_flow.h"

#include <stdlib.h>
#include <string.h>

#ifdef DEBUG
int fathom_gradient_flow_check = 1;
#else
int fathom_gradient_flow_check = 0;
#endif

/// FATHOM_CHECK_GRADIENT_FLOW=0 turns the check off, any other non-empty value on.
__attribute__((constructor)) static void fathom_gradient_flow_read_environment(void) {
    const char *value = getenv("FATHOM_CHECK_GRADIENT_FLOW");
    if (value != NULL && value[0] != '\0') fathom_gradient_flow_check = strcmp(value, "0") != 0;
}
