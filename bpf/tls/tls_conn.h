/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * TLS plaintext travels as its own connection beside the socket's: same
 * tgid, the socket's fd with PERISCOPE_TLS_FD_BIT set, its own generation
 * and stream offsets. The ciphertext stays on the socket's connection
 * (unrecognised, sizes only), so the two byte streams never mix. Mirrored by
 * packages/agent/src/tls/tls-connection.ts. A real fd reaches this bit only
 * with 2^30 files open in one process (fs.nr_open defaults to 2^20, and
 * RLIMIT_NOFILE cannot exceed it).
 */
#ifndef PERISCOPE_TLS_CONN_H
#define PERISCOPE_TLS_CONN_H

#define PERISCOPE_TLS_FD_BIT 0x40000000

#endif
