// TLS plaintext arrives as its own connection: the socket's fd with
// PERISCOPE_TLS_FD_BIT set (bpf/tls/tls_conn.h), so its records can be
// marked encrypted and its bytes never mix with the ciphertext's.

export const TLS_FD_BIT = 0x4000_0000;

export function isTlsConnectionFd(fd: number): boolean {
  return (fd & TLS_FD_BIT) !== 0;
}

/** The record attribute saying the exchange was read as TLS plaintext. */
export const TLS_ATTRIBUTE = "tls";
