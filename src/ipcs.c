/* The ipcs applet (see applet.h). */
#include "applet.h"
#include "infra.h"

int
ipcs_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die(EXIT_FAIL, "ipcs: not built yet");
}
