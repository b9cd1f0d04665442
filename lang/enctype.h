/* enctype: the static type of an encoder literal (%mp3(...), %ffmpeg(...)),
 * computed from its syntax alone (reference §3): a
 * format(audio=..., video=..., midi=...) whose audio channel count comes
 * from literal `mono`/`stereo` flags, `mono=`/`stereo=` booleans and
 * `channels=N` (or `ac=N` in %ffmpeg's %audio). The encoder names and
 * their parameters are the codec registry's (runtime/codec/encoder.h); the
 * type checker checks each parameter's name and type against it. */
#ifndef LIQ_ENCTYPE_H
#define LIQ_ENCTYPE_H

#include <stddef.h>

#include "lang/ast.h"
#include "lang/types.h"

/* The type of encoder node e (LIQ_AST_ENCODER), or NULL with a message in
 * msg when the encoder is unknown or its channel layout is not static. */
liq_type *liq_enctype_of(const liq_ast *e, char *msg, size_t size);
/* Whether %ifencoder %name holds: an encoder this build can produce. */
int liq_enctype_known(const char *name);

#endif
