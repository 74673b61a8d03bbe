/* inspect/render.h — laying out a report (inspect/report.h) for the reader:
 * as text for a person, or as one JSON object for a script.  Both show
 * the same facts, from the report alone. */
#ifndef VMLAB_INSPECT_RENDER_H
#define VMLAB_INSPECT_RENDER_H

#include <stdio.h>

#include "inspect/report.h"

/* The report as text, sections in the order report.h lists them.  Bytes
 * from the core or the program that could move a terminal's cursor are
 * written as \xNN. */
void render_text(FILE *out, const struct report *r);

/* The text for a snapshot core of a process a debugger stopped (gdb's
 * `monitor explain`): the headline says it "is stopped by" the signal,
 * before it is delivered, and only the cause, the instruction and the
 * walk follow — the debugger shows registers, frames, maps and memory. */
void render_text_stopped(FILE *out, const struct report *r);

/* The report as one JSON object, 2-space indented, with a newline after
 * it.  Any byte in a string is escaped, so the object is always valid. */
void render_json(FILE *out, const struct report *r);

#endif
