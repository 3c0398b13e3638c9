/* The ipcrm applet (see applet.h). */
#include "applet.h"
#include "infra.h"

int
ipcrm_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die(EXIT_FAIL, "ipcrm: not built yet");
}
